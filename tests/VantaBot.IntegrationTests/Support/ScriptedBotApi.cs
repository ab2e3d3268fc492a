using System.Collections.Concurrent;
using VantaBot.Bot.Telegram.Api;

namespace VantaBot.IntegrationTests.Support;

/// <summary>Holds updates as Telegram does and records the offsets the bot asked for.</summary>
public sealed class ScriptedBotApi : ITelegramBotApi
{
    private readonly List<TelegramUpdate> _held = [];
    private long _nextMessageId = 1;

    public ConcurrentQueue<long?> Offsets { get; } = new();

    public void Hold(params TelegramUpdate[] updates)
    {
        lock (_held)
        {
            _held.AddRange(updates);
        }
    }

    public Task<TelegramUser> GetMeAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new TelegramUser { Id = 42, IsBot = true, FirstName = "VantaBot", Username = "VantaBot" });

    public Task<IReadOnlyList<TelegramUpdate>> GetUpdatesAsync(long? offset, int limit, int timeoutSeconds, CancellationToken cancellationToken)
    {
        Offsets.Enqueue(offset);
        lock (_held)
        {
            // An offset confirms every update below it: Telegram forgets them.
            _held.RemoveAll(u => offset is { } o && u.UpdateId < o);
            return Task.FromResult<IReadOnlyList<TelegramUpdate>>(_held.Take(limit).ToList());
        }
    }

    /// <summary>Every message the bot sent, per chat, in the order the bot sent them.</summary>
    public ConcurrentDictionary<long, ConcurrentQueue<string>> Sent { get; } = new();

    public Task<TelegramMessage?> SendMessageAsync(long chatId, string text, TelegramSendOptions? options, CancellationToken cancellationToken)
    {
        Sent.GetOrAdd(chatId, _ => new ConcurrentQueue<string>()).Enqueue(text);
        var id = Interlocked.Increment(ref _nextMessageId);
        return Task.FromResult<TelegramMessage?>(new TelegramMessage { MessageId = id, Chat = new TelegramChat { Id = chatId }, Text = text });
    }

    public Task EditMessageTextAsync(long chatId, long messageId, string text, TelegramSendOptions? options, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AnswerCallbackQueryAsync(string callbackQueryId, string? text, bool showAlert, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SetMyCommandsAsync(IReadOnlyList<TelegramBotCommand> commands, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SetWebhookAsync(Uri url, string secretToken, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task DeleteWebhookAsync(bool dropPendingUpdates, CancellationToken cancellationToken) => Task.CompletedTask;
}
