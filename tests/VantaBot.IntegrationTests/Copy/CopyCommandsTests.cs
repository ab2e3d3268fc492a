using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Copy;

/// <summary>
/// The copy-trading commands through the Telegram emulator and the real pipeline: a trader offers to lead and
/// trades, another follows them and an on-chain wallet, replaces the rules, lists and leaves them; refusals
/// (self, a trader who has not opted in, a bad checksum, the follow limit, a Viewer) change nothing.
/// </summary>
public abstract partial class CopyCommandsTests(DatabaseProvider provider) : EmulatorBotTest(provider)
{
    private const long Leader = 717001;
    private const long Follower = 717002;
    private const long Viewer = 717003;
    private const long NotALeader = 717004;
    private const string Wallet = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
    private const string OtherWallet = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359";
    private static readonly Pair Eth = Pair.Usd("ETH");
    private readonly TestPriceFeed _feed = new(TimeProvider.System);

    protected override IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Copy:MaxFollowsPerTrader"] = "2",
    };

    protected override void OverrideServices(IServiceCollection services)
    {
        _feed.Set(Eth, 3000m);
        services.AddSingleton<IPriceFeed>(_feed);
    }

    [Fact]
    public async Task A_trader_leads_another_follows_replaces_the_rules_lists_and_unfollows()
    {
        (await SayAsync(Follower, "/leaders")).ShouldContain("No leaders yet. Become one with /leader on");
        (await SayAsync(Follower, "/following")).ShouldContain("You follow no one");
        (await SayAsync(Follower, $"/follow {NotALeader}")).ShouldContain($"#{NotALeader} has not offered to be followed: a trader becomes a leader with /leader on");
        (await SayAsync(Follower, $"/follow {Follower}")).ShouldContain("You cannot follow yourself");

        (await SayAsync(Leader, "/leader maybe")).ShouldContain("Usage: /leader on|off");
        var on = await SayAsync(Leader, "/leader on");
        on.ShouldContain($"You are a leader now. Your leader id is {Leader}: others follow you with /follow {Leader}.");
        on.ShouldContain("Only your own perps opens and closes are mirrored to them — never trades you copied");

        // The leader's record comes from a real round trip through the chat.
        await SayAsync(Leader, "/deposit 10000");
        var opened = await SayAsync(Leader, "/long ETH 1000 10x");
        var id = PositionId().Match(opened).Groups["id"].Value;
        _feed.Set(Eth, 3150m);
        (await SayAsync(Leader, $"/close {id}")).ShouldContain("✅ Closed LONG ETH/USD 10x");

        var followed = await SayAsync(Follower, $"/follow {Leader} size=50 max=200 maxlev=5x pairs=ETH,btc");
        followed.ShouldContain($"✅ Now following #{Leader}.");
        followed.ShouldContain("Rules: size 50.00 USD per trade · cap 200.00 USD per trade · max leverage 5x · pairs BTC, ETH");
        followed.ShouldContain("Copied: the leader's own perps opens and closes");
        followed.ShouldContain("Each mirror is a normal order of yours: your own balance, limits, risk rules, copy rate limit and execution mode");

        var replaced = await SayAsync(Follower, $"/follow #{Leader} size=25%");
        replaced.ShouldContain($"✅ Rules replaced for #{Leader}");
        replaced.ShouldContain("Rules: size 25% of the leader's trade · cap none · max leverage the leader's · pairs all");

        // Bad input is refused with the right form and leaves the rules as they were.
        var unknownPair = await SayAsync(Follower, $"/follow {Leader} pairs=XYZ");
        unknownPair.ShouldContain("Cannot follow: pairs: XYZ is neither a listed perp market nor a listed swap token");
        unknownPair.ShouldContain("Usage: /follow <leader> [size=<usd>|<pct>%] [max=<usd>] [maxlev=<n>x] [pairs=ETH,BTC]");
        (await SayAsync(Follower, $"/follow {Leader} size=2000%")).ShouldContain("size=2000% is more than 1000%");
        (await SayAsync(Follower, $"/follow {Wallet.Replace("0x5aA", "0x5AA", StringComparison.Ordinal)}")).ShouldContain("checksum (EIP-55) does not match");

        var wallet = await SayAsync(Follower, $"/follow {Wallet} max=100");
        wallet.ShouldContain($"✅ Now following {Wallet} (on-chain wallet).");
        wallet.ShouldContain($"Stop with /unfollow {Wallet}.");
        wallet.ShouldContain("Copied: the wallet's swaps on the configured routers — but no swap chain is configured on this deployment");

        // The limit (2 here): a third leader is refused, changing the rules of a followed one is not.
        (await SayAsync(Follower, $"/follow {OtherWallet}")).ShouldContain("You already follow 2 leaders, the most allowed here (2)");
        (await SayAsync(Follower, $"/follow {Wallet} max=150")).ShouldContain("✅ Rules replaced for");

        var following = await SayAsync(Follower, "/following");
        following.ShouldContain("You follow 2 leaders:");
        following.ShouldContain($"• #{Leader} (Lena) — since ");
        following.ShouldContain("size 25% of the leader's trade · cap none · max leverage the leader's · pairs all");
        following.ShouldContain($"• {Wallet} (on-chain wallet)");
        following.ShouldContain("size 100% of the leader's trade · cap 150.00 USD per trade");

        var board = await SayAsync(Viewer, "/leaders");
        board.ShouldContain("Top leaders by realized PnL, all time (net of fees):");
        board.ShouldContain($"1. Lena — /follow {Leader}");
        board.ShouldContain("followers 1 · trades 1 · win rate 100% · PnL +");
        board.ShouldContain("max drawdown 0.00 USDC");
        board.ShouldContain($"{Wallet} — followers 1 · swaps recorded 0");
        board.ShouldContain("PnL n/a for on-chain wallets");

        var unfollowed = await SayAsync(Follower, $"/unfollow {Leader}");
        unfollowed.ShouldContain($"✅ Stopped following #{Leader}");
        unfollowed.ShouldContain("Positions already mirrored stay open: they are your own now and close with /close.");
        (await SayAsync(Follower, $"/unfollow {Leader}")).ShouldContain($"You do not follow #{Leader}, so nothing changed.");
        (await SayAsync(Follower, "/unfollow")).ShouldContain("Usage: /unfollow <leader>");

        (await SayAsync(Leader, "/leader off")).ShouldContain("You are no longer a leader");
        (await SayAsync(Follower, $"/follow {Leader}")).ShouldContain("has not offered to be followed");

        var follows = await FollowsOfAsync(Follower);
        follows.ShouldHaveSingleItem().Leader.ShouldBe(LeaderRef.Evm(Wallet));
        follows[0].Settings.MaxUsd.ShouldBe(150m);
    }

    [Fact]
    public async Task A_viewer_may_look_but_not_follow_or_lead()
    {
        await SetRoleAsync(Viewer, Role.Viewer);

        var follow = await SayAsync(Viewer, $"/follow {Wallet}");
        follow.ShouldStartWith("⛔ /follow");
        follow.ShouldContain("needs the Trader role; you are Viewer");
        (await SayAsync(Viewer, "/leader on")).ShouldContain("needs the Trader role");
        (await SayAsync(Viewer, $"/unfollow {Wallet}")).ShouldContain("needs the Trader role");
        (await SayAsync(Viewer, "/following")).ShouldContain("You follow no one");
        (await SayAsync(Viewer, "/leaders")).ShouldContain("No leaders yet");

        var help = await SayAsync(Viewer, "/help");
        help.ShouldContain("/leaders — Top leaders to copy");
        help.ShouldContain("/following — ");
        help.ShouldNotContain("/follow <leader>");
        (await SayAsync(Follower, "/help")).ShouldContain("/follow <leader> [size=<usd>|<pct>%] [max=<usd>] [maxlev=<n>x] [pairs=ETH,BTC] — ");

        (await FollowsOfAsync(Viewer)).ShouldBeEmpty();
        await using var scope = Bot.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<ICopyLeaderStore>().ListAsync(default)).ShouldBeEmpty();
    }

    private async Task<string> SayAsync(long user, string text)
    {
        await Telegram.SendUserCommand(user, text, firstName: user == Leader ? "Lena" : "Tester");
        var replies = await Telegram.WaitForBotMessages(user, 1, TimeSpan.FromSeconds(15));
        replies.Count.ShouldBe(1, $"one reply to {text}");
        return replies[0].Text ?? "";
    }

    private async Task<IReadOnlyList<Follow>> FollowsOfAsync(long user)
    {
        await using var scope = Bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IFollowStore>().ListByFollowerAsync(new UserId(user), default);
    }

    private async Task SetRoleAsync(long user, Role role)
    {
        await using var scope = Bot.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VantaBotDbContext>();
        db.Users.Add(new UserEntity { Id = new UserId(user), DisplayName = "Vic", Role = role, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();

        // Written straight to the table, as another instance would: drop this instance's cached copy.
        Bot.Services.GetRequiredService<VantaBot.Infrastructure.Persistence.Caching.HotRowCache>().EvictUser(new UserId(user));
    }

    [GeneratedRegex("Position (?<id>[0-9a-f]{12})")]
    private static partial Regex PositionId();
}

public sealed class SqliteCopyCommandsTests() : CopyCommandsTests(DatabaseProvider.Sqlite);

public sealed class PostgresCopyCommandsTests() : CopyCommandsTests(DatabaseProvider.Postgres);
