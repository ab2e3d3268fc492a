using System.Numerics;

namespace VantaBot.Trading.Wallets;

/// <summary>What a wallet holds on the configured chains.</summary>
public interface IWalletBalances
{
    Task<WalletBalancesResult> ReadAsync(Wallet wallet, CancellationToken cancellationToken);
}

/// <summary>One token's balance in raw on-chain units with the token's decimals (never a float).</summary>
public sealed record TokenBalance(string Symbol, BigInteger Raw, int Decimals)
{
    /// <summary>Exact decimal text of <see cref="Raw"/> / 10^<see cref="Decimals"/>, trailing zeros trimmed.</summary>
    public string Format()
    {
        var negative = Raw.Sign < 0;
        var digits = BigInteger.Abs(Raw).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Decimals > 0)
        {
            digits = digits.PadLeft(Decimals + 1, '0');
            var whole = digits[..^Decimals];
            var fraction = digits[^Decimals..].TrimEnd('0');
            digits = fraction.Length == 0 ? whole : $"{whole}.{fraction}";
        }

        return (negative ? "-" : "") + digits;
    }
}

/// <summary>One chain's balances, or why that chain could not be read (the other chains still show).</summary>
public sealed record ChainBalances(string Chain, IReadOnlyList<TokenBalance> Tokens, string? Unavailable = null);

/// <summary>Either the balances per chain or, as a result rather than an exception, why none can be shown.</summary>
public abstract record WalletBalancesResult
{
    private WalletBalancesResult()
    {
    }

    public sealed record Available(IReadOnlyList<ChainBalances> Chains) : WalletBalancesResult;

    public sealed record Unavailable(string Reason) : WalletBalancesResult;
}

/// <summary>
/// The embedded default: no EVM chain is configured, so there is nothing to read, and it says so rather than
/// showing zeros that could be mistaken for an empty wallet. The RPC-backed reader replaces it when chains exist.
/// </summary>
public sealed class NoEvmChainsConfigured : IWalletBalances
{
    public const string Reason = "no EVM chain is configured on this deployment";

    public Task<WalletBalancesResult> ReadAsync(Wallet wallet, CancellationToken cancellationToken) =>
        Task.FromResult<WalletBalancesResult>(new WalletBalancesResult.Unavailable(Reason));
}
