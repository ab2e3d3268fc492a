using VantaBot.Trading.Users;

namespace VantaBot.Trading.Wallets;

/// <summary>A custodial wallet's id; also the associated data its sealed key is bound to.</summary>
public readonly record struct WalletId(Guid Value)
{
    public static WalletId New() => new(Guid.NewGuid());

    public override string ToString() => Value.ToString("N");
}

/// <summary>The chain families a wallet can belong to; one wallet per user and family.</summary>
public static class ChainFamily
{
    public const string Evm = "evm";
}

/// <summary>
/// A user's custodial wallet as the domain sees it: where funds go, never how to spend them (the key stays in the
/// key vault). <paramref name="Address"/> is the display form (EIP-55 checksummed for EVM).
/// </summary>
public sealed record Wallet(WalletId Id, UserId UserId, string ChainFamily, string Address, DateTimeOffset CreatedAt);
