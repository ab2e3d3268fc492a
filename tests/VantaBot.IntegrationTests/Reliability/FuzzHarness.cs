using System.Data.Common;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram.Api;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;

namespace VantaBot.IntegrationTests.Reliability;

/// <summary>Everything the pipeline said for one update.</summary>
public sealed record FuzzReplies(IReadOnlyList<(long ChatId, string Text)> Sent, IReadOnlyList<string?> Answers, int Edits);

/// <summary>Records every reply, edit and callback answer of the updates fed by the fuzzer (no emulator in the way).</summary>
public sealed class RecordingReplies : IReplyChannel
{
    private readonly List<(long ChatId, string Text)> _sent = [];
    private readonly List<string?> _answers = [];
    private int _edits;

    public FuzzReplies Take()
    {
        var taken = new FuzzReplies(_sent.ToArray(), _answers.ToArray(), _edits);
        _sent.Clear();
        _answers.Clear();
        _edits = 0;
        return taken;
    }

    public Task SendAsync(long chatId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken)
    {
        _sent.Add((chatId, text));
        return Task.CompletedTask;
    }

    public Task EditAsync(long chatId, long messageId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken)
    {
        _edits++;
        return Task.CompletedTask;
    }

    public Task AnswerCallbackAsync(string callbackQueryId, string? text, CancellationToken cancellationToken)
    {
        _answers.Add(text);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Reads the outcome the pipeline counted for each update from the bot's own metrics, filtered to this bot's
/// meter factory so parallel tests' bots do not mix in.
/// </summary>
public sealed class OutcomeListener : IDisposable
{
    private readonly MeterListener _listener = new();

    public OutcomeListener(IMeterFactory factory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name is "vantabot.updates.handled" or "vantabot.errors")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            if (instrument.Name == "vantabot.errors")
            {
                Interlocked.Increment(ref _errors);
                return;
            }

            string? command = null, outcome = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "command")
                {
                    command = tag.Value as string;
                }
                else if (tag.Key == "outcome")
                {
                    outcome = tag.Value as string;
                }
            }

            LastCommand = command;
            LastOutcome = outcome;
        });
        _listener.Start();
    }

    private long _errors;

    public long Errors => Interlocked.Read(ref _errors);

    public string? LastCommand { get; private set; }

    public string? LastOutcome { get; private set; }

    public void Dispose() => _listener.Dispose();
}

public static class FuzzState
{
    /// <summary>Tables that change without any state change a user could cause: logs, dedupe, heartbeats, jobs' bookkeeping.</summary>
    private static readonly HashSet<string> Excluded = new(StringComparer.Ordinal)
    {
        "audit_log", "processed_updates", "instance_heartbeats", "job_runs", "price_feed_status",
    };

    private static readonly HashSet<string> RelayBookkeeping = new(StringComparer.Ordinal) { "delivered_at", "attempts", "next_attempt_at", "last_error" };

    /// <summary>Every row of every other table (the audit head setting excepted: audited refusals move it), as one comparable text.</summary>
    public static async Task<string> SnapshotAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VantaBotDbContext>();
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().Where(t => !Excluded.Contains(t)).Order(StringComparer.Ordinal).ToArray();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            var rows = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    var row = new StringBuilder();
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        if (table == "outbox_messages" && RelayBookkeeping.Contains(reader.GetName(i)))
                        {
                            // The relay delivering the set-up's trade notices in the background is not a change by the fuzzer.
                            continue;
                        }

                        row.Append(reader.GetName(i)).Append('=').Append(Convert.ToString(reader.IsDBNull(i) ? "∅" : reader.GetValue(i), CultureInfo.InvariantCulture)).Append(';');
                    }

                    rows.Add(row.ToString());
                }
            }

            rows.RemoveAll(r => table == "system_settings" && r.Contains(AuditHead.SettingKey, StringComparison.Ordinal));
            rows.Sort(StringComparer.Ordinal);
            text.Append("## ").Append(table).Append(" (").Append(rows.Count).AppendLine(")");
            foreach (var row in rows)
            {
                text.AppendLine(row);
            }
        }

        return text.ToString();
    }

    public static int SeedFromEnvironment(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("VANTABOT_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : fallback;

    public static int IterationsFromEnvironment(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("VANTABOT_FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;
}
