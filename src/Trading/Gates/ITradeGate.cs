using VantaBot.Trading.Markets;
using VantaBot.Trading.Users;

namespace VantaBot.Trading.Gates;

/// <summary>What kind of trade an attempt is; gates treat them differently (a close-only pair still allows closes).</summary>
public enum TradeAction
{
    OpenPerp,
    ClosePerp,
    Swap,
}

/// <summary>When in the trade path a gate runs.</summary>
public enum TradeGateStage
{
    /// <summary>Before pricing and risk: halts that make every later step pointless (emergency stop, close-only).</summary>
    BeforeRisk,

    /// <summary>After risk approved the order and just before the write-ahead hold: quotas that count only real orders (rate limits, volume).</summary>
    BeforeCommit,
}

/// <summary>
/// One attempt to trade, as the gates see it. <see cref="NotionalUsd"/> is the position or swap size (0 for a swap
/// of tokens no price feed values). <see cref="Pair"/> is the perps market; a swap has none, because its price is
/// the DEX's own quote, not a USD feed.
/// </summary>
public sealed record TradeAttempt(UserId User, TradeAction Action, Pair? Pair, decimal NotionalUsd, bool IsCopy, string IdempotencyKey);

/// <summary>
/// A check every order passes on the one trade path, in addition to the risk rules: emergency stop, execution
/// mode, close-only pairs, rate limits. Gates are registered in DI and run in registration order within a stage;
/// the first refusal wins and nothing is written.
/// </summary>
public interface ITradeGate
{
    TradeGateStage Stage { get; }

    ValueTask<GateDecision> CheckAsync(TradeAttempt attempt, CancellationToken cancellationToken);
}
