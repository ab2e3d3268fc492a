using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Pipeline;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Swaps;
using VantaBot.Trading.Users;
using VantaBot.Trading.Wallets;

namespace VantaBot.Bot.Copy.Commands;

/// <summary>
/// /follow: check the arguments and the leader, then store (or replace) the trader's rules for that leader. Only
/// rules are written here; the watchers and the mirror turn the leader's trades into the follower's own orders.
/// </summary>
public sealed class FollowCommand(
    IFollowStore follows,
    ICopyLeaderStore leaders,
    IWalletDirectory wallets,
    IPerpMarketCatalog markets,
    ISwapCatalog swaps,
    IOptions<CopyFollowOptions> options,
    TimeProvider time,
    ILogger<FollowCommand> logger) : ICommandHandler, ICommandMetadata
{
    public static string Command => "follow";

    public static Role MinimumRole => Role.Trader;

    public static bool IsTradingAction => true;

    public static string Usage => "/follow <leader> [size=<usd>|<pct>%] [max=<usd>] [maxlev=<n>x] [pairs=ETH,BTC]";

    public static string Description => "Copy a leader's trades (a 0x wallet or an id from /leaders), e.g. /follow 0x… size=50 pairs=ETH";

    public async Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (!FollowArguments.TryParse(context.Command.Arguments, FollowLimits.From(markets, swaps), out var args, out var error))
        {
            await context.ReplyAsync($"Cannot follow: {error.TrimEnd('.')}. Usage: {Usage}", cancellationToken);
            return UpdateOutcome.InvalidArguments;
        }

        var refusal = await RefusalAsync(context.User.Id, args.Leader, cancellationToken);
        if (refusal is not null)
        {
            await context.ReplyAsync(refusal, cancellationToken);
            return UpdateOutcome.Rejected;
        }

        var change = await follows.UpsertAsync(new Follow(context.User.Id, args.Leader, args.Settings, time.GetUtcNow()), cancellationToken);
        logger.LogInformation("User {User} {Change} following {Leader}", context.User.Id, change == FollowChange.Created ? "started" : "replaced rules for", args.Leader);

        var text = new StringBuilder();
        text.AppendLine(change == FollowChange.Created
            ? $"✅ Now following {FollowFormatter.Leader(args.Leader)}."
            : $"✅ Rules replaced for {FollowFormatter.Leader(args.Leader)}: the new ones below apply from now on.");
        text.Append("Rules: ").AppendLine(FollowFormatter.Rules(args.Settings));
        text.AppendLine(FollowFormatter.Scope(args.Leader, swaps));
        text.Append(FollowFormatter.MirrorsAreOrders).Append(" Stop with /unfollow ")
            .Append(args.Leader.Kind == LeaderKind.Evm ? FollowFormatter.Address(args.Leader.Key) : args.Leader.Key).Append('.');
        await context.ReplyAsync(text.ToString(), cancellationToken);
        return UpdateOutcome.Ok;
    }

    /// <summary>Why this trader may not follow this leader now; null when they may.</summary>
    private async Task<string?> RefusalAsync(UserId follower, LeaderRef leader, CancellationToken cancellationToken)
    {
        if (leader.BotUser == follower)
        {
            return "You cannot follow yourself: your own trades are already yours.";
        }

        if (leader.Kind == LeaderKind.Evm
            && await wallets.FindAsync(follower, ChainFamily.Evm, cancellationToken) is { } own
            && string.Equals(own.Address, leader.Key, StringComparison.OrdinalIgnoreCase))
        {
            return "You cannot follow yourself: that address is your own bot wallet, and copying it would copy every swap you make again.";
        }

        if (leader.BotUser is { } user && !await leaders.IsLeaderAsync(user, cancellationToken))
        {
            return $"#{leader.Key} has not offered to be followed: a trader becomes a leader with /leader on. /leaders lists those who have.";
        }

        var current = await follows.ListByFollowerAsync(follower, cancellationToken);
        var max = options.Value.MaxFollowsPerTrader;
        if (current.Count >= max && !current.Any(f => f.Leader == leader))
        {
            return $"You already follow {current.Count} leaders, the most allowed here ({max}). /unfollow one first; /following lists them.";
        }

        return null;
    }
}
