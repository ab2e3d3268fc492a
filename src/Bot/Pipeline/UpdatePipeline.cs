using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Configuration;
using VantaBot.Bot.Telegram;
using VantaBot.Bot.Telegram.Api;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Gates;
using VantaBot.Trading.Users;

namespace VantaBot.Bot.Pipeline;

/// <summary>
/// The one entry point for every transport: dedupe by update_id, one DI scope per update, identify the user
/// from <c>from.id</c> only, register on first contact, authorize by role, route to one handler. The update id is
/// claimed first and completed once the handler returned (its work committed, its trade outcome in the outbox, its
/// reply handed to the outbound queue): a process that dies in between leaves the claim open, and the update is
/// handled again on its re-delivery (see <see cref="IProcessedUpdateStore"/>).
/// </summary>
public sealed class UpdatePipeline(
    IServiceScopeFactory scopes,
    CommandCatalog catalog,
    BotIdentity identity,
    BotMetrics metrics,
    TimeProvider time,
    IOptions<AccessOptions> access,
    IOptions<TelegramOptions> telegram,
    ILogger<UpdatePipeline> logger)
{
    private readonly TimeSpan _abandonAfter = telegram.Value.UpdateClaimAbandonAfter;
    private readonly IReadOnlySet<long> _superAdmins = access.Value.ParsedSuperAdminIds;
    private readonly Role _defaultRole = access.Value.DefaultRole;
    private readonly IReadOnlySet<long>? _allowList = access.Value.ParsedAllowList;

    /// <summary>Handles one update to the end. Never throws for a bad update; infrastructure faults are logged and counted.</summary>
    /// <returns>False when the update was a duplicate and nothing was done.</returns>
    public Task<bool> HandleAsync(TelegramUpdate update, IReplyChannel replies, CancellationToken cancellationToken) =>
        RunAsync(update, replies, alreadyClaimed: false, cancellationToken);

    /// <summary>
    /// Claims a batch's update ids ahead of handling them, all in one statement: for a transport that then handles
    /// them concurrently. A process that dies mid-batch leaves every update it did not finish claimed but not
    /// completed, and those are released and fetched again at the next start (none is skipped). Duplicates are
    /// counted and left out; the claimed keep the given order.
    /// </summary>
    /// <returns>The updates to handle with <see cref="HandleClaimedAsync"/>; null when the claim failed (the database
    /// is down) and nothing was claimed: the whole batch then goes through <see cref="HandleAsync"/>, which claims
    /// again or apologises.</returns>
    public async Task<IReadOnlyList<TelegramUpdate>?> ClaimBatchAsync(IReadOnlyList<TelegramUpdate> updates, CancellationToken cancellationToken)
    {
        IReadOnlySet<long> ids;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<IProcessedUpdateStore>();
            ids = await store.TryClaimManyAsync([.. updates.Select(u => (u.UpdateId, KindOf(u)))], time.GetUtcNow() - _abandonAfter, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Could not claim a batch of {Count} updates ahead of handling them", updates.Count);
            return null;
        }

        var claimed = new List<TelegramUpdate>(updates.Count);
        var seen = new HashSet<long>();
        foreach (var update in updates)
        {
            if (ids.Contains(update.UpdateId) && seen.Add(update.UpdateId))
            {
                claimed.Add(update);
            }
            else
            {
                NoteDuplicate(update);
            }
        }

        return claimed;
    }

    /// <summary>Handles an update this caller claimed with <see cref="ClaimBatchAsync"/>, to the end; never throws for a bad update.</summary>
    public Task HandleClaimedAsync(TelegramUpdate update, IReplyChannel replies, CancellationToken cancellationToken) =>
        RunAsync(update, replies, alreadyClaimed: true, cancellationToken);

    private async Task<bool> RunAsync(TelegramUpdate update, IReplyChannel replies, bool alreadyClaimed, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var logScope = logger.BeginScope(new Dictionary<string, object> { ["TraceId"] = traceId, ["UpdateId"] = update.UpdateId });
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;

        var commandLabel = "none";
        var outcome = UpdateOutcome.Error;
        var store = services.GetRequiredService<IProcessedUpdateStore>();
        var claimed = alreadyClaimed;
        var duplicate = false;
        try
        {
            if (!claimed)
            {
                claimed = await store.TryClaimAsync(update.UpdateId, KindOf(update), time.GetUtcNow() - _abandonAfter, cancellationToken);
                if (!claimed)
                {
                    duplicate = true;
                    NoteDuplicate(update);
                    return false;
                }
            }

            (commandLabel, outcome) = update switch
            {
                { CallbackQuery: { } callback } => await HandleCallbackAsync(services, callback, traceId, replies, cancellationToken),
                { Message: { } message } => await HandleMessageAsync(services, update.UpdateId, message, traceId, replies, cancellationToken),
                _ => ("none", UpdateOutcome.Ignored),
            };
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.Error("pipeline");
            logger.LogError(ex, "Update {UpdateId} failed", update.UpdateId);
            await TryApologizeAsync(update, replies, traceId, cancellationToken);
        }
        finally
        {
            // A duplicate is counted as such (vantabot_duplicate_updates), not as a handled update that errored.
            if (!duplicate)
            {
                metrics.UpdateHandled(commandLabel, outcome, time.GetElapsedTime(started));
            }
        }

        // Answered (or apologised for): a re-delivery must not run it again. When the mark itself fails (the
        // database is down) the claim stays open, and a re-delivery after a restart handles it a second time;
        // handlers are idempotent on the update id, so that repeats a reply, never a trade. Not completed when
        // the claim itself failed: there is no claim of ours to complete.
        if (claimed)
        {
            await TryCompleteAsync(store, update.UpdateId, cancellationToken);
        }

        return true;
    }

    private void NoteDuplicate(TelegramUpdate update)
    {
        metrics.Duplicate();
        logger.LogInformation("Duplicate update {UpdateId} dropped", update.UpdateId);
    }

    private async Task<(string Command, UpdateOutcome Outcome)> HandleMessageAsync(
        IServiceProvider services, long updateId, TelegramMessage message, string traceId, IReplyChannel replies, CancellationToken cancellationToken)
    {
        if (message.From is not { IsBot: false } from)
        {
            return ("none", UpdateOutcome.Ignored);
        }

        var chatId = message.Chat.Id;
        if (!IsAllowed(from.Id))
        {
            // Nothing else happens: no registration, no handler. Group chatter is not answered at all.
            if (message.Chat.Type == "private" || message.Text?.StartsWith('/') == true)
            {
                await replies.SendAsync(chatId, NotAllowedReply, null, cancellationToken);
            }

            return ("none", UpdateOutcome.Refused);
        }

        var user = await IdentifyAsync(services, from, cancellationToken);
        if (message.Text is null)
        {
            await replies.SendAsync(chatId, "I only understand text commands. Send /help to see them.", null, cancellationToken);
            return ("none", UpdateOutcome.InvalidArguments);
        }

        if (message.Text.Length > CommandLine.MaxLength)
        {
            await replies.SendAsync(chatId, $"That message is too long ({message.Text.Length} characters; at most {CommandLine.MaxLength}). Send /help to see the commands.", null, cancellationToken);
            return ("none", UpdateOutcome.InvalidArguments);
        }

        if (message.Chat.Type != "private" && !message.Text.StartsWith('/'))
        {
            // Group chatter is not addressed to us; answering every line would spam the group.
            return ("none", UpdateOutcome.Ignored);
        }

        if (!CommandLine.TryParse(message.Text, out var command))
        {
            await replies.SendAsync(chatId, "I understand commands only, such as /price ETH. Send /help to see what you can do.", null, cancellationToken);
            return ("none", UpdateOutcome.InvalidArguments);
        }

        if (!identity.IsAddressedToUs(command))
        {
            return ("none", UpdateOutcome.Ignored);
        }

        var info = catalog.Find(command.Name);
        var refusal = await PassGatesAsync(services, new UpdateGateContext(user, info?.Command ?? "unknown", info?.IsTradingAction ?? false, IsCallback: false), cancellationToken);
        if (refusal is not null)
        {
            await replies.SendAsync(chatId, $"⏸ {refusal.Reason}", null, cancellationToken);
            return (info?.Command ?? "unknown", UpdateOutcome.Refused);
        }

        if (info is null)
        {
            await replies.SendAsync(chatId, $"Unknown command /{command.Name}. Send /help to see the commands you can use.", null, cancellationToken);
            return ("unknown", UpdateOutcome.UnknownCommand);
        }

        var required = info.RequiredRole(command.Arguments);
        if (user.Role < required)
        {
            await DenyAsync(services, user, info.Command, command.ArgumentText, required, traceId, cancellationToken);
            var what = required == info.MinimumRole || command.Arguments.Count == 0 ? $"/{info.Command}" : $"/{info.Command} {command.Arguments[0]}";
            await replies.SendAsync(chatId, $"⛔ {what} needs the {required} role; you are {user.Role}.", null, cancellationToken);
            return (info.Command, UpdateOutcome.Denied);
        }

        logger.LogInformation("User {UserId} ran /{Command}", user.Id, info.Command);
        var handler = (ICommandHandler)services.GetRequiredService(info.HandlerType);
        var outcome = await handler.HandleAsync(new CommandContext(user, chatId, updateId, command, traceId, replies), cancellationToken);
        return (info.Command, outcome);
    }

    private async Task<(string Command, UpdateOutcome Outcome)> HandleCallbackAsync(
        IServiceProvider services, TelegramCallbackQuery callback, string traceId, IReplyChannel replies, CancellationToken cancellationToken)
    {
        if (callback.From.IsBot || callback.Message is null || string.IsNullOrEmpty(callback.Data))
        {
            await replies.AnswerCallbackAsync(callback.Id, "This button has expired.", cancellationToken);
            return ("callback", UpdateOutcome.Ignored);
        }

        if (!IsAllowed(callback.From.Id))
        {
            await replies.AnswerCallbackAsync(callback.Id, NotAllowedReply, cancellationToken);
            return ("callback", UpdateOutcome.Refused);
        }

        var user = await IdentifyAsync(services, callback.From, cancellationToken);
        var separator = callback.Data.IndexOf(':', StringComparison.Ordinal);
        var prefix = separator < 0 ? callback.Data : callback.Data[..separator];
        var payload = separator < 0 ? "" : callback.Data[(separator + 1)..];
        var handler = services.GetKeyedService<ICallbackHandler>(prefix);
        if (handler is null)
        {
            await replies.AnswerCallbackAsync(callback.Id, "This button is not recognised; it may belong to an older version of the bot.", cancellationToken);
            return ("callback", UpdateOutcome.UnknownCommand);
        }

        var label = "callback_" + handler.Prefix;
        var refusal = await PassGatesAsync(services, new UpdateGateContext(user, label, handler.IsTradingAction, IsCallback: true), cancellationToken);
        if (refusal is not null)
        {
            await replies.AnswerCallbackAsync(callback.Id, refusal.Reason, cancellationToken);
            return (label, UpdateOutcome.Refused);
        }

        if (user.Role < handler.MinimumRole)
        {
            await DenyAsync(services, user, label, payload, handler.MinimumRole, traceId, cancellationToken);
            await replies.AnswerCallbackAsync(callback.Id, $"⛔ This button needs the {handler.MinimumRole} role.", cancellationToken);
            return (label, UpdateOutcome.Denied);
        }

        var context = new CallbackContext(user, callback.Message.Chat.Id, callback.Message.MessageId, callback.Id, payload, traceId, replies);
        return (label, await handler.HandleAsync(context, cancellationToken));
    }

    /// <returns>The first refusal, or null when every gate let the update through.</returns>
    private static async Task<GateDecision?> PassGatesAsync(IServiceProvider services, UpdateGateContext context, CancellationToken cancellationToken)
    {
        foreach (var gate in services.GetServices<IUpdateGate>())
        {
            var decision = await gate.CheckAsync(context, cancellationToken);
            if (!decision.Allowed)
            {
                return decision;
            }
        }

        return null;
    }

    private const string NotAllowedReply = "This bot is private: your Telegram account is not on its allow list. Ask the operator to add your user id.";

    /// <summary>Without an allow list everyone may talk to the bot; configured super-admins always may.</summary>
    private bool IsAllowed(long telegramId) => _allowList is null || _allowList.Contains(telegramId) || _superAdmins.Contains(telegramId);

    private async Task<BotUser> IdentifyAsync(IServiceProvider services, TelegramUser from, CancellationToken cancellationToken)
    {
        var users = services.GetRequiredService<IUserDirectory>();
        var user = await users.RegisterOrGetAsync(new UserId(from.Id), DisplayNameOf(from), _defaultRole, cancellationToken);

        // Super-admins come from configuration only: a database row can never grant it, nor a config change be outlived.
        return _superAdmins.Contains(from.Id) ? user with { Role = Role.SuperAdmin }
            : user.Role == Role.SuperAdmin ? user with { Role = Role.Admin }
            : user;
    }

    private static Task DenyAsync(IServiceProvider services, BotUser user, string command, string arguments, Role required, string traceId, CancellationToken cancellationToken) =>
        services.GetRequiredService<IAuditLog>().AppendAsync(
            new AuditRecord(user.Id, user.Role, command, arguments, $"denied: needs {required}", traceId),
            cancellationToken);

    private async Task TryCompleteAsync(IProcessedUpdateStore store, long updateId, CancellationToken cancellationToken)
    {
        try
        {
            await store.CompleteAsync(updateId, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.Error("complete_update");
            logger.LogWarning(ex, "Could not mark update {UpdateId} completed; a re-delivery will handle it again", updateId);
        }
    }

    private async Task TryApologizeAsync(TelegramUpdate update, IReplyChannel replies, string traceId, CancellationToken cancellationToken)
    {
        try
        {
            if (update.CallbackQuery is { } callback)
            {
                await replies.AnswerCallbackAsync(callback.Id, $"Something went wrong; nothing was changed (trace {traceId}).", cancellationToken);
            }
            else if (update.Message is { } message)
            {
                await replies.SendAsync(message.Chat.Id, $"Something went wrong on our side; nothing was changed. Please try again in a moment (trace {traceId}).", null, cancellationToken);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Could not tell the user about the failure of update {UpdateId}", update.UpdateId);
        }
    }

    private static string KindOf(TelegramUpdate update) => update switch
    {
        { CallbackQuery: not null } => "callback_query",
        { Message: not null } => "message",
        { EditedMessage: not null } => "edited_message",
        _ => "other",
    };

    private static string DisplayNameOf(TelegramUser user)
    {
        var name = string.Join(' ', new[] { user.FirstName, user.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
        return name.Length > 0 ? name : user.Username ?? user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
