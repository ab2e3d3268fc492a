using System.Numerics;
using Microsoft.Extensions.Logging.Abstractions;
using VantaBot.Trading.Swaps;
using VantaBot.Trading.Users;
using VantaBot.Trading.Wallets;

namespace VantaBot.UnitTests.Swaps;

public sealed class ChainWalletBalancesTests
{
    private static readonly Wallet Wallet = new(WalletId.New(), new UserId(7), ChainFamily.Evm, "0x00000000000000000000000000000000000000aa", DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task Every_chain_shows_its_native_coin_and_each_token_read_fresh()
    {
        var balances = new SettableBalances { Native = BigInteger.Parse("1500000000000000000", System.Globalization.CultureInfo.InvariantCulture) };
        balances.Set(TestTokens.Usdc, 12.5m);
        var reader = new ChainWalletBalances(new FixedCatalog(TestTokens.Base), balances, NullLogger<ChainWalletBalances>.Instance);

        var result = (await reader.ReadAsync(Wallet, default)).ShouldBeOfType<WalletBalancesResult.Available>();

        var chain = result.Chains.ShouldHaveSingleItem();
        chain.Chain.ShouldBe("base");
        chain.Unavailable.ShouldBeNull();
        chain.Tokens.Select(t => $"{t.Format()} {t.Symbol}").ShouldBe(["1.5 ETH", "0 WETH", "12.5 USDC", "0 TKA"]);
    }

    [Fact]
    public async Task A_chain_that_does_not_answer_says_so_and_the_other_chains_still_show()
    {
        var other = new SwapChain("arbitrum", [TestTokens.Usdc]);
        var reader = new ChainWalletBalances(new FixedCatalog(TestTokens.Base, other), new FailingOn("base"), NullLogger<ChainWalletBalances>.Instance);

        var result = (await reader.ReadAsync(Wallet, default)).ShouldBeOfType<WalletBalancesResult.Available>();

        result.Chains.Single(c => c.Chain == "base").Unavailable.ShouldBe("the chain did not answer; try again shortly");
        result.Chains.Single(c => c.Chain == "arbitrum").Tokens.Select(t => t.Symbol).ShouldBe(["ETH", "USDC"]);
    }

    [Fact]
    public async Task Without_a_swap_chain_it_says_none_is_configured()
    {
        var reader = new ChainWalletBalances(new FixedCatalog(), new SettableBalances(), NullLogger<ChainWalletBalances>.Instance);

        (await reader.ReadAsync(Wallet, default)).ShouldBe(new WalletBalancesResult.Unavailable(NoEvmChainsConfigured.Reason));
    }

    private sealed class FailingOn(string chain) : IWalletTokenBalances
    {
        public Task<TokenAmount> BalanceOfAsync(string chainName, string walletAddress, SwapToken token, CancellationToken cancellationToken) =>
            chainName == chain ? throw new HttpRequestException("connection refused") : Task.FromResult(new TokenAmount(0, token.Decimals));

        public Task<TokenAmount> NativeBalanceAsync(string chainName, string walletAddress, CancellationToken cancellationToken) =>
            chainName == chain ? throw new HttpRequestException("connection refused") : Task.FromResult(new TokenAmount(0, 18));
    }
}
