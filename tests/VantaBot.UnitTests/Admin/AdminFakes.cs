using System.Collections.Concurrent;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram.Api;
using VantaBot.Risk;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Control;
using VantaBot.Trading.Users;

namespace VantaBot.UnitTests.Admin;

internal sealed class RecordingAudit : IAuditLog
{
    public ConcurrentQueue<AuditRecord> Records { get; } = new();

    public Task AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        Records.Enqueue(record);
        return Task.CompletedTask;
    }
}

internal sealed class RecordingReplies : IReplyChannel
{
    public List<(long ChatId, string Text, TelegramInlineKeyboardMarkup? Keyboard)> Sent { get; } = [];

    public List<(long ChatId, long MessageId, string Text)> Edits { get; } = [];

    public List<string?> Answers { get; } = [];

    public Task SendAsync(long chatId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken)
    {
        Sent.Add((chatId, text, keyboard));
        return Task.CompletedTask;
    }

    public Task EditAsync(long chatId, long messageId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken)
    {
        Edits.Add((chatId, messageId, text));
        return Task.CompletedTask;
    }

    public Task AnswerCallbackAsync(string callbackQueryId, string? text, CancellationToken cancellationToken)
    {
        Answers.Add(text);
        return Task.CompletedTask;
    }
}

/// <summary>The persisted global mode, readable and writable, counting writes.</summary>
internal sealed class InMemoryExecutionMode : IExecutionModeStore, IExecutionModeWriter
{
    public ExecutionMode Mode { get; set; } = ExecutionMode.Dry;

    public int Writes { get; private set; }

    public Task<ExecutionMode> GetAsync(CancellationToken cancellationToken) => Task.FromResult(Mode);

    public Task SetAsync(ExecutionMode mode, CancellationToken cancellationToken)
    {
        Mode = mode;
        Writes++;
        return Task.CompletedTask;
    }
}

internal sealed class InMemoryRoles : IUserRoleStore
{
    public Dictionary<long, Role> Roles { get; } = [];

    public Task<bool> TryChangeRoleAsync(UserId user, Role? expected, Role newRole, string displayName, CancellationToken cancellationToken)
    {
        var current = Roles.TryGetValue(user.Value, out var role) ? role : (Role?)null;
        if (current != expected)
        {
            return Task.FromResult(false);
        }

        Roles[user.Value] = newRole;
        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<BotUser>> ListAtLeastAsync(Role role, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<BotUser>>(Roles.Where(r => r.Value >= role).Select(r => User(r.Key, r.Value)).ToArray());

    public static BotUser User(long id, Role role) => new(new UserId(id), $"user{id}", role, DateTimeOffset.UnixEpoch);
}

/// <summary>A switch view the test sets; optionally flips to a stop after a number of reads (a stop landing mid-order).</summary>
internal sealed class SettableControl(TimeProvider time) : ISystemControl
{
    private int _readsBeforeStop = -1;

    public EmergencyStop? Stop { get; set; }

    public MaintenanceMode? Maintenance { get; set; }

    public int Reads { get; private set; }

    public void StopAfterReads(int reads, EmergencyStop stop)
    {
        _readsBeforeStop = reads;
        _pendingStop = stop;
    }

    private EmergencyStop? _pendingStop;

    public ValueTask<ControlSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        if (_readsBeforeStop == Reads && _pendingStop is not null)
        {
            Stop = _pendingStop;
        }

        Reads++;
        return ValueTask.FromResult(new ControlSnapshot(Stop, Maintenance, time.GetUtcNow()));
    }
}
