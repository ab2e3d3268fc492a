#!/usr/bin/env node
// Deploys a Uniswap V2 + V3 test market on a dev chain (anvil) from the compiled artifacts shipped in the npm
// packages, as they are: the routers hard-code the pair/pool init-code hashes, so a recompiled pair or pool
// would have other addresses and every router call would miss it (checked below before anything is deployed).
//
//   node tests/peers/evm/deploy-uniswap.mjs http://127.0.0.1:8545
//
// Uses the node's first unlocked account as deployer. Prints one JSON object on stdout:
//   { deployer, weth, tokenA, tokenB, v2Factory, v2Router, v2PairAB, v2PairWethA,
//     v3Factory, v3SwapRouter, v3QuoterV2, v3PositionManager, v3PoolAB, v3Fee }
// Progress and errors go to stderr; the exit code is non-zero on any failure.
import { createRequire } from 'node:module';
import { ethers } from 'ethers';

const require = createRequire(import.meta.url);
const artifact = (path) => require(path);

const V2_PAIR_INIT_CODE_HASH = '0x96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f';
const V3_POOL_INIT_CODE_HASH = '0xe34f199b19b2b4f47f68442619d555527d244f78a3297ea89325f843f87b8b54';
const FEE = 3000;
const MIN_TICK = -887220; // full range for tick spacing 60 (fee 0.3%)
const MAX_TICK = 887220;
const Q96 = 2n ** 96n; // sqrtPriceX96 of price 1

const WETH9 = artifact('@uniswap/v2-periphery/build/WETH9.json');
const ERC20 = artifact('@uniswap/v2-periphery/build/ERC20.json');
const V2Factory = artifact('@uniswap/v2-core/build/UniswapV2Factory.json');
const V2Pair = artifact('@uniswap/v2-core/build/UniswapV2Pair.json');
const V2Router = artifact('@uniswap/v2-periphery/build/UniswapV2Router02.json');
const V3Factory = artifact('@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json');
const V3Pool = artifact('@uniswap/v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json');
const SwapRouter = artifact('@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json');
const QuoterV2 = artifact('@uniswap/v3-periphery/artifacts/contracts/lens/QuoterV2.sol/QuoterV2.json');
const PositionManager = artifact('@uniswap/v3-periphery/artifacts/contracts/NonfungiblePositionManager.sol/NonfungiblePositionManager.json');

const hex = (bytecode) => (bytecode.startsWith('0x') ? bytecode : '0x' + bytecode);
const log = (...args) => console.error('[deploy-uniswap]', ...args);

function checkInitCodeHashes() {
  const v2 = ethers.keccak256(hex(V2Pair.bytecode));
  const v3 = ethers.keccak256(hex(V3Pool.bytecode));
  if (v2 !== V2_PAIR_INIT_CODE_HASH) throw new Error(`UniswapV2Pair init-code hash ${v2} differs from Router02's ${V2_PAIR_INIT_CODE_HASH}`);
  if (v3 !== V3_POOL_INIT_CODE_HASH) throw new Error(`UniswapV3Pool init-code hash ${v3} differs from the periphery's ${V3_POOL_INIT_CODE_HASH}`);
}

async function deploy(signer, art, ...args) {
  const factory = new ethers.ContractFactory(art.abi, hex(art.bytecode), signer);
  const contract = await factory.deploy(...args);
  await contract.waitForDeployment();
  return contract;
}

async function send(txPromise) {
  const tx = await txPromise;
  const receipt = await tx.wait();
  if (receipt.status !== 1) throw new Error(`transaction ${tx.hash} reverted`);
  return receipt;
}

async function main() {
  const url = process.argv[2];
  if (!url) throw new Error('usage: deploy-uniswap.mjs <rpc url>');
  checkInitCodeHashes();

  const provider = new ethers.JsonRpcProvider(url, undefined, { staticNetwork: true, polling: true, pollingInterval: 50 });
  const signer = await provider.getSigner(0);
  const deployer = await signer.getAddress();
  const block = await provider.getBlock('latest');
  const deadline = BigInt(block.timestamp) + 3600n; // from chain time, not wall time

  const supply = ethers.parseEther('1000000000');
  const weth = await deploy(signer, WETH9);
  const tokenA = await deploy(signer, ERC20, supply);
  const tokenB = await deploy(signer, ERC20, supply);
  const [wethAddr, aAddr, bAddr] = await Promise.all([weth.getAddress(), tokenA.getAddress(), tokenB.getAddress()]);
  log('tokens', { weth: wethAddr, tokenA: aAddr, tokenB: bAddr });

  // --- V2: factory, router, two pairs with liquidity --------------------------------------------------------
  const v2Factory = await deploy(signer, V2Factory, deployer);
  const v2FactoryAddr = await v2Factory.getAddress();
  const v2Router = await deploy(signer, V2Router, v2FactoryAddr, wethAddr);
  const v2RouterAddr = await v2Router.getAddress();
  const liquidity = ethers.parseEther('1000000');
  await send(tokenA.approve(v2RouterAddr, liquidity * 2n));
  await send(tokenB.approve(v2RouterAddr, liquidity));
  await send(v2Router.addLiquidity(aAddr, bAddr, liquidity, liquidity, 0, 0, deployer, deadline));
  // WETH/TokenA at 1 ETH = 1000 TokenA.
  const ethSide = ethers.parseEther('100');
  await send(v2Router.addLiquidityETH(aAddr, ethSide * 1000n, 0, 0, deployer, deadline, { value: ethSide }));
  const v2PairAB = await v2Factory.getPair(aAddr, bAddr);
  const v2PairWethA = await v2Factory.getPair(wethAddr, aAddr);
  log('v2', { factory: v2FactoryAddr, router: v2RouterAddr, pairAB: v2PairAB, pairWethA: v2PairWethA });

  // --- V3: factory, router, quoter, position manager, a full-range pool at price 1 --------------------------
  const v3Factory = await deploy(signer, V3Factory);
  const v3FactoryAddr = await v3Factory.getAddress();
  const swapRouter = await deploy(signer, SwapRouter, v3FactoryAddr, wethAddr);
  const quoter = await deploy(signer, QuoterV2, v3FactoryAddr, wethAddr);
  // The token descriptor only renders tokenURI; minting never calls it, so any address will do.
  const positions = await deploy(signer, PositionManager, v3FactoryAddr, wethAddr, deployer);
  const positionsAddr = await positions.getAddress();
  const [token0, token1] = BigInt(aAddr) < BigInt(bAddr) ? [aAddr, bAddr] : [bAddr, aAddr];
  await send(positions.createAndInitializePoolIfNecessary(token0, token1, FEE, Q96));
  await send(tokenA.approve(positionsAddr, liquidity));
  await send(tokenB.approve(positionsAddr, liquidity));
  await send(positions.mint({
    token0, token1, fee: FEE, tickLower: MIN_TICK, tickUpper: MAX_TICK,
    amount0Desired: liquidity, amount1Desired: liquidity, amount0Min: 0, amount1Min: 0,
    recipient: deployer, deadline,
  }));
  const v3PoolAB = await v3Factory.getPool(aAddr, bAddr, FEE);
  const out = {
    chainId: Number((await provider.getNetwork()).chainId),
    deployer,
    weth: wethAddr,
    tokenA: aAddr,
    tokenB: bAddr,
    v2Factory: v2FactoryAddr,
    v2Router: v2RouterAddr,
    v2PairAB,
    v2PairWethA,
    v3Factory: v3FactoryAddr,
    v3SwapRouter: await swapRouter.getAddress(),
    v3QuoterV2: await quoter.getAddress(),
    v3PositionManager: positionsAddr,
    v3PoolAB,
    v3Fee: FEE,
  };
  log('v3', { factory: out.v3Factory, swapRouter: out.v3SwapRouter, quoter: out.v3QuoterV2, pool: v3PoolAB });
  provider.destroy();
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((error) => {
  console.error('[deploy-uniswap] failed:', error?.shortMessage ?? error?.message ?? error);
  process.exit(1);
});
