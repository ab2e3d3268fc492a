using VantaBot.Bot.Copy.Commands;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Swaps;
using VantaBot.Trading.Users;

namespace VantaBot.UnitTests.Copy;

public sealed class FollowArgumentsTests
{
    /// <summary>From the EIP-55 specification's examples.</summary>
    private const string Checksummed = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

    private static readonly FollowLimits Limits = FollowLimits.From(new DefaultPerpMarkets(), new OneChain());

    [Fact]
    public void A_leader_alone_follows_with_the_defaults()
    {
        var parsed = Parse(Checksummed);

        parsed.Leader.ShouldBe(LeaderRef.Evm(Checksummed));
        parsed.Leader.Key.ShouldBe(Checksummed.ToLowerInvariant());
        parsed.Settings.ShouldBe(FollowSettings.Default);
    }

    [Theory]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")]
    [InlineData("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED")]
    [InlineData("0X5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED")]
    public void Single_case_addresses_carry_no_checksum_and_are_accepted(string address) =>
        Parse(address).Leader.ShouldBe(LeaderRef.Evm(Checksummed));

    [Theory]
    [InlineData("4242", 4242)]
    [InlineData("#4242", 4242)]
    public void A_bot_leader_is_named_by_id_with_or_without_its_hash(string text, long id) =>
        Parse(text).Leader.ShouldBe(LeaderRef.Bot(new UserId(id)));

    [Fact]
    public void Every_option_parses_in_any_order_and_case()
    {
        var parsed = Parse("4242 PAIRS=eth,btc,WETH MaxLev=12.5X max=500 size=25%");

        parsed.Settings.Size.ShouldBe(new CopySize(CopySizeKind.PercentOfLeader, 25m));
        parsed.Settings.MaxUsd.ShouldBe(500m);
        parsed.Settings.MaxLeverage.ShouldBe(12.5m);
        parsed.Settings.Pairs!.Order().ShouldBe(["BTC", "ETH"]);
    }

    [Fact]
    public void A_fixed_size_in_usd_and_a_swap_token_as_pair_parse()
    {
        var parsed = Parse($"{Checksummed} size=50.5 pairs=PEPE");

        parsed.Settings.Size.ShouldBe(new CopySize(CopySizeKind.FixedUsd, 50.5m));
        parsed.Settings.Pairs.ShouldBe(new HashSet<string> { "PEPE" });
        parsed.Settings.Covers("pepe").ShouldBeTrue();
        parsed.Settings.Covers("ETH").ShouldBeFalse();
    }

    [Fact]
    public void The_edges_of_the_ranges_are_accepted()
    {
        Parse("4242 size=1000% maxlev=1x").Settings.Size.Value.ShouldBe(1000m);
        Parse("4242 maxlev=500x").Settings.MaxLeverage.ShouldBe(500m);
    }

    [Theory]
    [InlineData("", "name the leader")]
    [InlineData("bob", "'bob' is neither an EVM address")]
    [InlineData("0x1234", "needs 0x and 40 hex digits")]
    [InlineData("0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "checksum (EIP-55) does not match")]
    [InlineData("0", "is neither an EVM address")]
    [InlineData("4242 size=50 foo=1", "'foo=1' is not understood (the options are size=, max=, maxlev= and pairs=)")]
    [InlineData("4242 50", "'50' is not understood")]
    [InlineData("4242 size=10 size=20", "size= is given twice")]
    [InlineData("4242 pairs=ETH PAIRS=BTC", "pairs= is given twice")]
    [InlineData("4242 size=0", "size must be above 0")]
    [InlineData("4242 size=0%", "size must be above 0")]
    [InlineData("4242 size=-5", "size: '-5' is not a number")]
    [InlineData("4242 size=1e3", "size: '1e3' is not a number")]
    [InlineData("4242 size=", "size: '' is not a number")]
    [InlineData("4242 size=1000.01%", "size=1000.01% is more than 1000% of the leader's trade")]
    [InlineData("4242 size=5000%", "is more than 1000%")]
    [InlineData("4242 max=0", "max must be above 0")]
    [InlineData("4242 max=abc", "max: 'abc' is not a number")]
    [InlineData("4242 maxlev=0.5x", "maxlev must be at least 1x")]
    [InlineData("4242 maxlev=0x", "maxlev must be at least 1x")]
    [InlineData("4242 maxlev=501x", "maxlev=501x is above the highest leverage any listed market allows (500x)")]
    [InlineData("4242 maxlev=10", "maxlev '10' must end in x")]
    [InlineData("4242 pairs=", "pairs= is empty")]
    [InlineData("4242 pairs=,", "pairs= is empty")]
    [InlineData("4242 pairs=ETH,XYZ", "pairs: XYZ is neither a listed perp market nor a listed swap token")]
    [InlineData("4242 pairs=ETH/USD", "pairs: 'ETH/USD' is not an asset symbol")]
    public void Every_bad_input_is_refused_with_its_reason(string text, string reason)
    {
        FollowArguments.TryParse(Split(text), Limits, out var parsed, out var error).ShouldBeFalse(text);

        parsed.ShouldBeNull();
        error.ShouldContain(reason, Case.Sensitive, text);
    }

    [Fact]
    public void Without_listed_markets_no_leverage_cap_is_possible()
    {
        var none = new FollowLimits(new HashSet<string>(), 0m);

        FollowArguments.TryParse(Split("4242 maxlev=2x"), none, out _, out var error).ShouldBeFalse();
        error.ShouldContain("(0x)");
    }

    [Fact]
    public void The_limits_list_perp_bases_and_swap_tokens_with_wrapped_coins_as_their_coin()
    {
        Limits.Assets.ShouldContain("ETH");
        Limits.Assets.ShouldContain("DOGE");
        Limits.Assets.ShouldContain("USDC");
        Limits.Assets.ShouldContain("PEPE");
        Limits.Assets.ShouldNotContain("WETH");
        Limits.MaxLeverage.ShouldBe(500m);
    }

    private static FollowArguments Parse(string text)
    {
        FollowArguments.TryParse(Split(text), Limits, out var parsed, out var error).ShouldBeTrue(error);
        return parsed!;
    }

    private static string[] Split(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private sealed class OneChain : ISwapCatalog
    {
        private static readonly SwapChain Base = new("base", [
            new SwapToken("WETH", "0x4200000000000000000000000000000000000006", 18, "ETH"),
            new SwapToken("USDC", "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", 6, "USD"),
            new SwapToken("PEPE", "0x0000000000000000000000000000000000000042", 18)]);

        public IReadOnlyList<SwapChain> Chains { get; } = [Base];

        public SwapChain? DefaultChain => Base;

        public SwapChain? FindChain(string name) => name == "base" ? Base : null;
    }
}
