using System.Net.Http.Json;
using System.Text.Json;

namespace VantaBot.Bench.Emulator;

/// <summary>
/// The emulator's own ceiling: a bot that does nothing but answer each message with one line, polling getUpdates
/// with the same idle pause as the real bot and sending a batch's answers all at once. Users timed against it pay
/// every emulator round trip the real bot's users pay (send, the bot's getUpdates and sendMessage, their own
/// reads, nudged the same way as <see cref="SendWatcher"/> nudges them for the real bot) and none of the bot's
/// work, as pgbench is the database's ceiling.
/// </summary>
internal sealed class EchoBot(HttpClient http, Uri baseUrl, string botToken, TimeSpan idleDelay, ChatSignals signals)
{
    private long _answered;

    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Polls and answers until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var chats = await GetUpdatesAsync(cancellationToken);
                if (chats.Count == 0)
                {
                    await Task.Delay(idleDelay, cancellationToken);
                    continue;
                }

                await Task.WhenAll(chats.Select(chat => AnswerAsync(chat, cancellationToken)));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The phase is over.
        }
    }

    /// <summary>The chat of each pending message (the emulator hands each update out once).</summary>
    private async Task<IReadOnlyList<long>> GetUpdatesAsync(CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(new Uri(baseUrl, $"/bot{botToken}/getUpdates"), new { timeout = 0 }, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        return document.RootElement.GetProperty("result").EnumerateArray()
            .Where(update => update.TryGetProperty("message", out _))
            .Select(update => update.GetProperty("message").GetProperty("chat").GetProperty("id").GetInt64())
            .ToList();
    }

    private async Task AnswerAsync(long chatId, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(new Uri(baseUrl, $"/bot{botToken}/sendMessage"), new { chat_id = chatId, text = "echo" }, cancellationToken);
        response.EnsureSuccessStatusCode();
        Interlocked.Increment(ref _answered);
        signals.Sent(chatId);
    }
}
