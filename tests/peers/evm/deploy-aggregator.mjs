#!/usr/bin/env node
// Compiles tests/peers/evm/TestPriceAggregator.sol with solc-js and deploys it on a dev chain (anvil) from the
// node's first unlocked account. Prints {"address": "0x…"} on stdout.
//
//   node tests/peers/evm/deploy-aggregator.mjs <rpc-url> <decimals> <initial-answer>
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ethers } from 'ethers';

const require = createRequire(import.meta.url);
const solc = require('solc');
const [url, decimals, initial] = process.argv.slice(2);
if (!url || decimals === undefined || initial === undefined) {
  console.error('usage: deploy-aggregator.mjs <rpc-url> <decimals> <initial-answer>');
  process.exit(2);
}

const source = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'TestPriceAggregator.sol'), 'utf8');
const output = JSON.parse(solc.compile(JSON.stringify({
  language: 'Solidity',
  sources: { 'TestPriceAggregator.sol': { content: source } },
  settings: { outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
})));
const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
if (errors.length > 0) {
  console.error(errors.map((e) => e.formattedMessage).join('\n'));
  process.exit(1);
}

const contract = output.contracts['TestPriceAggregator.sol'].TestPriceAggregator;
const provider = new ethers.JsonRpcProvider(url);
const signer = await provider.getSigner(0);
const factory = new ethers.ContractFactory(contract.abi, '0x' + contract.evm.bytecode.object, signer);
const deployed = await factory.deploy(Number(decimals), BigInt(initial));
await deployed.waitForDeployment();
console.log(JSON.stringify({ address: await deployed.getAddress() }));
provider.destroy();
