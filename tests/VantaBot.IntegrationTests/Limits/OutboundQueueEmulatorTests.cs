using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VantaBot.Bot.Outbound;
using VantaBot.Bot.Telegram.Api;
using VantaBot.IntegrationTests.Support;

namespace VantaBot.IntegrationTests.Limits;

/// <summary>The outbound queue with Telegram's default pacing against the Bot API emulator.</summary>
public sealed class OutboundQueueEmulatorTests
{
    [Fact]
    public async Task A_burst_to_several_chats_arrives_complete_in_order_and_at_most_one_per_second_per_chat()
    {
        using var telegram = TelegramEmulator.FromEnvironment();
        await using var metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var client = new TelegramBotApiClient(
            new HttpClient { Timeout = Timeout.InfiniteTimeSpan },
            Options.Create(telegram.CreateBotOptions() is var o ? WithoutRetries(o) : throw new InvalidOperationException()),
            TimeProvider.System,
            NullLogger<TelegramBotApiClient>.Instance);
        using var queue = new OutboundQueue(
            new TelegramOutboundSender(client),
            new NoOutbox(),
            Options.Create(new OutboundOptions()),
            TimeProvider.System,
            new OutboundMetrics(metrics.GetRequiredService<IMeterFactory>()),
            NullLogger<OutboundQueue>.Instance);
        await queue.StartAsync(CancellationToken.None);

        long[] chats = [710001, 710002, 710003];
        const int perChat = 4;
        var sends = new List<Task<bool>>();
        for (var i = 0; i < perChat; i++)
        {
            foreach (var chat in chats)
            {
                sends.Add(queue.Enqueue(new OutboundRequest.SendMessage(chat, $"message {i} to {chat}", null), i == perChat - 1 && chat == chats[2] ? OutboundPriority.High : OutboundPriority.Normal));
            }
        }

        (await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(30))).ShouldAllBe(delivered => delivered);
        await queue.StopAsync(CancellationToken.None);

        foreach (var chat in chats)
        {
            var received = await telegram.WaitForBotMessages(chat, perChat, TimeSpan.FromSeconds(5));
            received.Select(m => m.Text).ShouldBe(Enumerable.Range(0, perChat).Select(i => $"message {i} to {chat}"), $"chat {chat}: none lost, none repeated, in order");

            // The emulator stamps each message when it stores it, in milliseconds.
            var times = received.Select(m => m.Time).ToArray();
            for (var i = 1; i < times.Length; i++)
            {
                (times[i] - times[i - 1]).ShouldBeGreaterThanOrEqualTo(1000, $"chat {chat}, message {i}");
            }
        }
    }

    private static VantaBot.Bot.Telegram.TelegramOptions WithoutRetries(VantaBot.Bot.Telegram.TelegramOptions options)
    {
        options.MaxRetries = 0;
        return options;
    }

    private sealed class NoOutbox : IOutboxAcknowledger
    {
        public Task AcknowledgeAsync(string outboxKey, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
