using Microsoft.Extensions.Logging;
using VantaBot.Bot.Outbound;
using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Gates;
using VantaBot.Trading.Limits;

namespace VantaBot.Bot.Limits;

/// <summary>What a user is told when the limiter cannot be asked and the action moves money.</summary>
internal static class LimiterUnavailable
{
    public const string Gate = "RateLimit:Unavailable";

    public const string Message =
        "Trading is paused for a moment: the rate limiter cannot be reached, and no trade goes through unchecked. " +
        "Prices, balances and positions still work; please try again shortly.";
}

/// <summary>
/// Counts every command and button press against the user's message limit. When the limiter's store is down,
/// trading commands are refused (fail closed) and everything else goes through (fail open): a Redis outage must
/// never let a trade skip its limits, nor lock traders out of their prices and positions.
/// </summary>
public sealed class MessageRateGate(RateLimiter limiter, OutboundMetrics metrics, ILogger<MessageRateGate> logger) : IUpdateGate
{
    public async ValueTask<GateDecision> CheckAsync(UpdateGateContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var decision = await limiter.CheckMessageAsync(context.User.Id, cancellationToken);
        switch (decision)
        {
            case RateLimitDecision.Limited limited:
                metrics.Limited(limited.Limit.Code());
                return GateDecision.Refuse($"RateLimit:{limited.Limit}", limited.Message);
            case RateLimitDecision.StoreUnavailable unavailable:
                metrics.LimiterUnavailable(refused: context.IsTradingAction);
                logger.LogWarning(
                    "Limiter unavailable ({Reason}); /{Command} {Outcome}", unavailable.Reason, context.Command, context.IsTradingAction ? "refused" : "allowed unlimited");
                return context.IsTradingAction ? GateDecision.Refuse(LimiterUnavailable.Gate, LimiterUnavailable.Message) : GateDecision.Allow;
            default:
                return GateDecision.Allow;
        }
    }
}

/// <summary>
/// Position opens, trades, volume and copy executions, checked after risk approved an order and just before its
/// write-ahead hold, so only orders that would really be placed count. Fails closed whenever the store cannot answer.
/// </summary>
public sealed class TradeRateGate(RateLimiter limiter, OutboundMetrics metrics, ILogger<TradeRateGate> logger) : ITradeGate
{
    public TradeGateStage Stage => TradeGateStage.BeforeCommit;

    public async ValueTask<GateDecision> CheckAsync(TradeAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var decision = await limiter.CheckTradeAsync(attempt, cancellationToken);
        switch (decision)
        {
            case RateLimitDecision.Limited limited:
                metrics.Limited(limited.Limit.Code());
                logger.LogInformation("User {UserId} hit the {Limit} limit", attempt.User, limited.Limit);
                return GateDecision.Refuse($"RateLimit:{limited.Limit}", limited.Message);
            case RateLimitDecision.StoreUnavailable unavailable:
                metrics.LimiterUnavailable(refused: true);
                logger.LogWarning("Limiter unavailable ({Reason}); trade of user {UserId} refused", unavailable.Reason, attempt.User);
                return GateDecision.Refuse(LimiterUnavailable.Gate, LimiterUnavailable.Message);
            default:
                return GateDecision.Allow;
        }
    }
}
