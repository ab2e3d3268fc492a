using System.Globalization;
using System.Numerics;
using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Transactions;
using VantaBot.Infrastructure.Persistence.EvmTransactions;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Swaps;
using VantaBot.IntegrationTests.Faults;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Ledger;
using Xunit.Abstractions;

namespace VantaBot.IntegrationTests.Evm.Swaps;

/// <summary>
/// The bot executable swapping LIVE on anvil, killed with SIGKILL at several points between the tap and the
/// receipt — right after the tap (before or around the broadcast), while the transactions wait in the mempool, and
/// just after they were mined — then restarted on the same database. Every swap intent must end resolved exactly
/// once, no intent may have two swaps mined, and the wallet's balances on chain must equal what the database says.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class SwapCrashTests(SwapChainFixture chain, ITestOutputHelper output) : IClassFixture<SwapChainFixture>, IAsyncLifetime
{
    private const long SuperAdmin = 5050;
    private const long Trader = 5051;
    private readonly string _workDir = Directory.CreateTempSubdirectory("vantabot-swapcrash-").FullName;
    private TelegramEmulator _telegram = null!;

    public Task InitializeAsync()
    {
        _telegram = TelegramEmulator.FromEnvironment();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _telegram.Dispose();
        Directory.Delete(_workDir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Killed_between_tap_and_receipt_and_restarted_every_swap_resolves_once_and_the_chain_agrees()
    {
        var settings = Settings();
        EvmAddress wallet;
        using (var bot = await StartAsync(settings))
        {
            await SwapChat.SwitchToLiveAsync(_telegram, SuperAdmin);
            wallet = EvmAddress.Parse(await SwapChat.WalletAsync(_telegram, Trader));
            await chain.FundAsync(wallet, tokenA: 100m);
            await SwapChat.SayAsync(_telegram, Trader, "/live on");
            await bot.KillAsync();
        }

        // Transactions wait in the mempool until the test mines, so a kill can land while they are in flight.
        await chain.Node.SetAutomineAsync(false);
        var points = new (string Name, Func<BotProcess, Task> KillAt)[]
        {
            ("right after the tap", bot => Task.Delay(Random.Shared.Next(0, 400))),
            ("with the transactions in the mempool", _ => WaitForMempoolAsync(wallet)),
            ("just after they were mined", async _ =>
            {
                await WaitForMempoolAsync(wallet);
                await chain.Node.MineAsync();
            }),
        };

        foreach (var (name, killAt) in points)
        {
            using (var bot = await StartAsync(settings))
            {
                await TapSwapAsync("/swap 5 TKA TKB slippage=2%");
                await killAt(bot);
                await bot.KillAsync();
                output.WriteLine($"killed {name}");
            }

            // Restarted: recovery finds what was left; the test keeps mining so nothing stays in flight.
            using (var bot = await StartAsync(settings))
            {
                await ResolveAllAsync(TimeSpan.FromSeconds(90));
                await bot.KillAsync();
            }
        }

        await chain.Node.SetAutomineAsync(true);
        await AssertChainAgreesAsync(wallet, settings);
    }

    private async Task AssertChainAgreesAsync(EvmAddress wallet, Dictionary<string, string?> settings)
    {
        await using var db = Context(settings);
        var swaps = await db.Set<SwapIntentEntity>().AsNoTracking().ToListAsync();
        var transactions = await db.Set<EvmTransactionEntity>().AsNoTracking().ToListAsync();
        output.WriteLine(string.Join('\n', swaps.Select(s => $"{s.IdempotencyKey}: {s.State} {s.FailureReason} {s.TransactionHash}")));
        output.WriteLine(string.Join('\n', transactions.Select(t => $"nonce {t.Nonce} {t.Purpose} {t.State} {t.MinedHash}")));

        // A kill right after the tap can land before the bot read the tap, or while handling it before the intent was
        // written; the card lived in the killed process, so that tap reads as expired after the restart and no swap
        // exists (the safe side). The two later kill points wait for a transaction, so their intents always exist.
        swaps.Count.ShouldBeInRange(2, 3);
        swaps.ShouldAllBe(s => s.State == IntentState.Filled || s.State == IntentState.Failed || s.State == IntentState.Cancelled);
        foreach (var swap in swaps)
        {
            var mined = transactions.Count(t => t.IntentId == swap.Id.Value && t.Purpose == "swap" && t.State == nameof(EvmTxState.Succeeded));
            mined.ShouldBe(swap.State == IntentState.Filled ? 1 : 0, $"swap {swap.IdempotencyKey} ({swap.State}) has {mined} mined swaps");
        }

        var spent = swaps.Where(s => s.State == IntentState.Filled).Aggregate(BigInteger.Zero, (sum, s) => sum + BigInteger.Parse(s.AmountInRaw, CultureInfo.InvariantCulture));
        var received = swaps.Where(s => s.State == IntentState.Filled).Aggregate(BigInteger.Zero, (sum, s) => sum + BigInteger.Parse(s.AmountOutRaw!, CultureInfo.InvariantCulture));
        (await chain.BalanceOfAsync(chain.Market.TokenA, wallet)).ShouldBe(SwapChainFixture.Wei(100m) - spent);
        (await chain.BalanceOfAsync(chain.Market.TokenB, wallet)).ShouldBe(received);

        // Nonces: every persisted transaction that reached the chain used its own nonce, with no gap and no reuse.
        var onChain = transactions.Where(t => t.State is nameof(EvmTxState.Succeeded) or nameof(EvmTxState.Reverted)).Select(t => t.Nonce).Order().ToList();
        onChain.ShouldBe(Enumerable.Range(0, onChain.Count).Select(i => (long)i).ToList());
        var chainNonce = (await chain.Node.RpcAsync("eth_getTransactionCount", wallet.ToString(), "latest")).GetString()!;
        Hex.ToQuantity(chainNonce).ShouldBe(new BigInteger(onChain.Count));
        swaps.Count(s => s.State == IntentState.Filled).ShouldBeGreaterThanOrEqualTo(1);
    }

    private async Task ResolveAllAsync(TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        var settings = Settings();
        while (true)
        {
            await chain.Node.MineAsync();
            await using (var db = Context(settings))
            {
                var open = await db.Set<SwapIntentEntity>().AsNoTracking().CountAsync(s => s.State == IntentState.Pending || s.State == IntentState.Submitted);
                var pendingTx = await db.Set<EvmTransactionEntity>().AsNoTracking().CountAsync(t => t.State == nameof(EvmTxState.Pending));
                if (open == 0 && pendingTx == 0)
                {
                    return;
                }
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException("swap intents or transactions still unresolved after the restart");
            }

            await Task.Delay(500);
        }
    }

    private async Task WaitForMempoolAsync(EvmAddress wallet)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (DateTimeOffset.UtcNow < deadline)
        {
            var pending = await chain.Node.RpcAsync("eth_getTransactionCount", wallet.ToString(), "pending");
            var latest = await chain.Node.RpcAsync("eth_getTransactionCount", wallet.ToString(), "latest");
            if (Hex.ToQuantity(pending.GetString()!) > Hex.ToQuantity(latest.GetString()!))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("no transaction of the wallet reached the mempool");
    }

    private async Task TapSwapAsync(string command)
    {
        await _telegram.SendUserCommand(Trader, command);
        var card = (await _telegram.WaitForBotMessages(Trader, 1, TimeSpan.FromSeconds(30))).ShouldHaveSingleItem();
        var tap = card.Buttons.Single(b => b.CallbackData!.StartsWith("swapok:", StringComparison.Ordinal)).CallbackData!;
        await _telegram.SendUserCallback(Trader, card.MessageId, tap);
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = chain.Settings(SuperAdmin, v2: true, v3: false);
        settings["Telegram:BotToken"] = _telegram.BotToken;
        settings["Telegram:ApiBaseUrl"] = _telegram.BaseUrl.ToString();
        settings["Telegram:PollingIdleDelay"] = "00:00:00.100";
        settings["Telegram:PollingTimeoutSeconds"] = "0";
        settings["Database:Provider"] = "Sqlite";
        settings["ConnectionStrings:Main"] = $"Data Source={Path.Combine(_workDir, "bot.db")}";
        // No KeyVault:KeyFile: the development key is created next to the database on first start and reused after
        // every restart (a named key file must exist beforehand).
        settings["Jobs:RecoveryInterval"] = "00:00:01";
        settings["Jobs:RecoveryMinAge"] = "00:00:10"; // the smallest the bot accepts
        settings["Serilog:MinimumLevel:Default"] = "Warning";
        return settings;
    }

    private static VantaBotDbContext Context(Dictionary<string, string?> settings)
    {
        var builder = new DbContextOptionsBuilder<VantaBotDbContext>();
        PersistenceRegistration.Configure(builder, new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = settings["ConnectionStrings:Main"]! });
        return new VantaBotDbContext(builder.Options);
    }

    private Task<BotProcess> StartAsync(Dictionary<string, string?> settings) => FaultSettings.StartReadyBotAsync(settings, _workDir);
}
