using System.Numerics;
using Shouldly;
using VantaBot.Bot.Wallets;
using VantaBot.Trading.Users;
using VantaBot.Trading.Wallets;
using Xunit;

namespace VantaBot.UnitTests.Wallets;

public sealed class WalletDisplayTests
{
    [Theory]
    [InlineData("1500000", 6, "1.5")]
    [InlineData("1", 18, "0.000000000000000001")]
    [InlineData("0", 18, "0")]
    [InlineData("123456789012345678901234567890", 18, "123456789012.34567890123456789")]
    [InlineData("42", 0, "42")]
    public void Raw_amounts_format_exactly(string raw, int decimals, string expected) =>
        new TokenBalance("T", BigInteger.Parse(raw, System.Globalization.CultureInfo.InvariantCulture), decimals).Format().ShouldBe(expected);

    [Fact]
    public async Task The_embedded_default_says_no_chain_is_configured_instead_of_showing_zeros()
    {
        var wallet = new Wallet(WalletId.New(), new UserId(1), ChainFamily.Evm, "0x0000000000000000000000000000000000000001", DateTimeOffset.UnixEpoch);

        var result = await new NoEvmChainsConfigured().ReadAsync(wallet, default);

        WalletCommand.Describe(result).ShouldBe("Balances unavailable: no EVM chain is configured on this deployment.");
    }

    [Fact]
    public void Balances_show_per_chain_and_a_chain_that_could_not_be_read_says_why()
    {
        var result = new WalletBalancesResult.Available(
        [
            new ChainBalances("base", [new TokenBalance("ETH", BigInteger.Parse("250000000000000000", System.Globalization.CultureInfo.InvariantCulture), 18), new TokenBalance("USDC", 12_340_000, 6)]),
            new ChainBalances("arbitrum", [], "every RPC endpoint timed out"),
        ]);

        WalletCommand.Describe(result).ShouldBe("Balances:\nbase: 0.25 ETH, 12.34 USDC\narbitrum: unavailable (every RPC endpoint timed out)");
    }

    [Fact]
    public async Task Live_needs_a_wallet_created_with_the_wallet_command()
    {
        var directory = new OneWallet();
        var wallets = new StoredUserWallets(directory);

        (await wallets.HasWalletAsync(new UserId(1), default)).ShouldBeFalse();
        (await wallets.MissingForLiveAsync(new UserId(1), default)).ShouldBe("a wallet: create your wallet with /wallet first");
        await directory.GetOrCreateAsync(new UserId(1), ChainFamily.Evm, default);
        (await wallets.HasWalletAsync(new UserId(1), default)).ShouldBeTrue();
        (await wallets.MissingForLiveAsync(new UserId(1), default)).ShouldBeNull();
        (await wallets.HasWalletAsync(new UserId(2), default)).ShouldBeFalse();
    }

    private sealed class OneWallet : IWalletDirectory
    {
        private readonly Dictionary<UserId, Wallet> _wallets = [];

        public Task<Wallet?> FindAsync(UserId user, string chainFamily, CancellationToken cancellationToken) =>
            Task.FromResult(_wallets.GetValueOrDefault(user));

        public Task<Wallet> GetOrCreateAsync(UserId user, string chainFamily, CancellationToken cancellationToken)
        {
            if (!_wallets.TryGetValue(user, out var wallet))
            {
                wallet = new Wallet(WalletId.New(), user, chainFamily, "0x0000000000000000000000000000000000000001", DateTimeOffset.UnixEpoch);
                _wallets[user] = wallet;
            }

            return Task.FromResult(wallet);
        }
    }
}
