using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram;
using VantaBot.Bot.Telegram.Api;
using VantaBot.Infrastructure.Persistence;

namespace VantaBot.Bot.Transports;

/// <summary>
/// A local chat on stdin/stdout as one configurable Telegram user, fed through the same update pipeline as
/// Telegram. A line "!data" presses the inline button with that callback data on the last message. The end of
/// input ends the chat and stops the process.
/// </summary>
public sealed class ConsoleTransport(
    ConsoleIo io,
    ConsoleReplyChannel replies,
    UpdatePipeline pipeline,
    DatabaseReadiness database,
    IServiceScopeFactory scopes,
    TransportStatus status,
    IHostApplicationLifetime lifetime,
    IOptions<TelegramOptions> options,
    ILogger<ConsoleTransport> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.WaitAsync(stoppingToken);
        var userId = options.Value.ConsoleUserId;
        var user = new TelegramUser { Id = userId, FirstName = "Console", Username = "console" };
        var chat = new TelegramChat { Id = userId, Type = "private" };

        // Update ids continue after every id this database has seen, so the dedupe never swallows console input.
        long nextUpdateId;
        await using (var scope = scopes.CreateAsyncScope())
        {
            nextUpdateId = (await scope.ServiceProvider.GetRequiredService<IProcessedUpdateStore>().GetHighestAsync(stoppingToken) ?? 0) + 1;
        }

        status.Connected();
        await io.Output.WriteLineAsync(
            $"""
            VantaBot console chat. You are Telegram user {userId}; type /start or /help, Ctrl-D to quit.
            To serve Telegram instead, set Telegram__BotToken to the token @BotFather gives you (see README: "Connect a real bot").

            """);
        await io.Output.FlushAsync(stoppingToken);

        while (!stoppingToken.IsCancellationRequested)
        {
            string? line;
            try
            {
                line = await io.Input.ReadLineAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (line is null)
            {
                logger.LogInformation("Console input ended; stopping");
                lifetime.StopApplication();
                break;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var update = ToUpdate(nextUpdateId++, line.Trim(), user, chat);
            await pipeline.HandleAsync(update, replies, CancellationToken.None);
        }
    }

    private TelegramUpdate ToUpdate(long updateId, string line, TelegramUser user, TelegramChat chat)
    {
        if (line.StartsWith('!') && line.Length > 1)
        {
            return new TelegramUpdate
            {
                UpdateId = updateId,
                CallbackQuery = new TelegramCallbackQuery
                {
                    Id = $"console-{updateId}",
                    From = user,
                    Data = line[1..],
                    Message = new TelegramMessage { MessageId = replies.LastMessageId, Chat = chat },
                },
            };
        }

        return new TelegramUpdate
        {
            UpdateId = updateId,
            Message = new TelegramMessage { MessageId = updateId, From = user, Chat = chat, Text = line },
        };
    }
}
