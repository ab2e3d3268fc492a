using System.Diagnostics;
using System.Text.Json;
using VantaBot.Infrastructure.Evm.Primitives;

namespace VantaBot.IntegrationTests.Evm;

/// <summary>
/// A class fixture: an anvil of the class's own with the Uniswap V2 + V3 test market deployed once by
/// tests/peers/evm/deploy-uniswap.mjs (from the npm artifacts, never recompiled).
/// </summary>
public sealed class UniswapDeployment : IAsyncLifetime
{
    public const string ScriptVariable = "VANTABOT_TEST_UNISWAP_DEPLOY";

    public AnvilNode Node { get; private set; } = null!;

    public UniswapAddresses Addresses { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Node = await AnvilNode.StartAsync();
        Addresses = await DeployAsync(Node);
    }

    public async Task DisposeAsync()
    {
        if (Node is not null)
        {
            await Node.DisposeAsync();
        }
    }

    /// <summary>Runs the deploy script against <paramref name="node"/> and parses the addresses it prints.</summary>
    public static async Task<UniswapAddresses> DeployAsync(AnvilNode node)
    {
        try
        {
            return await RunScriptAsync(node);
        }
        catch (InvalidOperationException)
        {
            // Once in a few dozen runs on a loaded machine, ethers' gas estimate of a V3 call reverts because anvil
            // answered before the previous deployment was visible. A second run deploys a fresh market on the same
            // chain (new addresses, read from its output); a second failure is real.
            return await RunScriptAsync(node);
        }
    }

    private static async Task<UniswapAddresses> RunScriptAsync(AnvilNode node)
    {
        var info = new ProcessStartInfo("node", [Script, node.Url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"deploy-uniswap.mjs exited with {process.ExitCode}: {await stderr}");
        }

        using var json = JsonDocument.Parse(await stdout);
        var root = json.RootElement;
        EvmAddress Read(string name) => EvmAddress.Parse(root.GetProperty(name).GetString()!);
        return new UniswapAddresses(
            Read("deployer"), Read("weth"), Read("tokenA"), Read("tokenB"),
            Read("v2Factory"), Read("v2Router"), Read("v2PairAB"), Read("v2PairWethA"),
            Read("v3Factory"), Read("v3SwapRouter"), Read("v3QuoterV2"), Read("v3PositionManager"), Read("v3PoolAB"),
            root.GetProperty("v3Fee").GetInt32());
    }

    private static string Script
    {
        get
        {
            if (Environment.GetEnvironmentVariable(ScriptVariable) is { Length: > 0 } path)
            {
                return path;
            }

            // tests/peers/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil → tests/peers/evm/deploy-uniswap.mjs
            var peers = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(AnvilNode.Binary)!, "..", "..", "..", ".."));
            return Path.Combine(peers, "evm", "deploy-uniswap.mjs");
        }
    }
}

public sealed record UniswapAddresses(
    EvmAddress Deployer,
    EvmAddress Weth,
    EvmAddress TokenA,
    EvmAddress TokenB,
    EvmAddress V2Factory,
    EvmAddress V2Router,
    EvmAddress V2PairAB,
    EvmAddress V2PairWethA,
    EvmAddress V3Factory,
    EvmAddress V3SwapRouter,
    EvmAddress V3QuoterV2,
    EvmAddress V3PositionManager,
    EvmAddress V3PoolAB,
    int V3Fee);
