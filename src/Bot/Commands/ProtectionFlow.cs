using VantaBot.Bot.Commands.Arguments;
using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Perps;

namespace VantaBot.Bot.Commands;

/// <summary>What /tp and /sl share: read "&lt;id&gt; &lt;price&gt;", find the trader's position, apply, answer.</summary>
public sealed class ProtectionFlow(IPositionStore positions)
{
    public const int PriceDecimals = 8;

    public async Task<UpdateOutcome> HandleAsync(
        CommandContext context,
        string usage,
        bool allowOff,
        Func<Position, decimal?, CancellationToken, Task<ProtectionOutcome>> apply,
        CancellationToken cancellationToken)
    {
        var args = context.Command.Arguments;
        if (args.Count != 2)
        {
            await context.ReplyAsync($"Usage: {usage}, e.g. /{context.Command.Name} 3f2a9c01b7de 3100.", cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        decimal? price = null;
        if (!(allowOff && string.Equals(args[1], "off", StringComparison.OrdinalIgnoreCase)))
        {
            if (!NumberArgument.TryParse(args[1], PriceDecimals, out var parsed, out var priceError))
            {
                await context.ReplyAsync($"{priceError} Usage: {usage}.", cancellationToken);
                return UpdateOutcome.InvalidArguments;
            }

            if (parsed <= 0m)
            {
                await context.ReplyAsync($"The price must be above 0. Usage: {usage}.", cancellationToken);
                return UpdateOutcome.InvalidArguments;
            }

            price = parsed;
        }

        var (position, error) = await PositionArgument.ResolveAsync(positions, context.User.Id, args[0], cancellationToken);
        if (position is null)
        {
            await context.ReplyAsync(error, cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        switch (await apply(position, price, cancellationToken))
        {
            case ProtectionOutcome.Updated updated:
                var p = updated.Position;
                await context.ReplyAsync(
                    $"✅ Position {p.Id} ({(p.Side == Side.Long ? "LONG" : "SHORT")} {p.Pair}): SL {Money.Price(p.StopLoss)} · TP {(p.TakeProfit is { } tp ? Money.Price(tp) : "none")} · liquidation {Money.Price(p.LiquidationPrice)}",
                    cancellationToken);
                return UpdateOutcome.Ok;
            case ProtectionOutcome.Rejected rejected:
                await context.ReplyAsync($"❌ Not changed — {rejected.Rule}: {rejected.Reason}", cancellationToken);
                return UpdateOutcome.Rejected;
            default:
                throw new InvalidOperationException("Unknown protection outcome.");
        }
    }
}
