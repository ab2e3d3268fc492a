using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VantaBot.Bot.Pipeline;
using VantaBot.Bot.Telegram.Api;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Admin;

/// <summary>
/// Feeds updates straight into a running bot's real pipeline (real DI, real database) and records the replies:
/// fast enough to try every command with every role, while the emulator tests cover the transport.
/// </summary>
public sealed class PipelineDriver(RunningBot bot)
{
    private static long _nextUpdateId = 7_000_000_000 + Random.Shared.Next(1_000_000);

    public ReplyRecorder Replies { get; } = new();

    /// <summary>Sends <paramref name="text"/> as <paramref name="user"/> in their private chat; returns the replies to that chat.</summary>
    public async Task<IReadOnlyList<string>> SayAsync(long user, string text)
    {
        var before = Replies.Count;
        var update = new TelegramUpdate
        {
            UpdateId = Interlocked.Increment(ref _nextUpdateId),
            Message = new TelegramMessage
            {
                MessageId = 1,
                From = new TelegramUser { Id = user, FirstName = $"user{user}" },
                Chat = new TelegramChat { Id = user, Type = "private" },
                Text = text,
            },
        };
        await bot.Services.GetRequiredService<UpdatePipeline>().HandleAsync(update, Replies, default);
        return Replies.Since(before).Where(r => r.ChatId == user).Select(r => r.Text).ToArray();
    }

    public async Task SetRoleAsync(long user, Role role)
    {
        await using var scope = bot.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VantaBotDbContext>();
        var existing = await db.Users.SingleOrDefaultAsync(u => u.Id == new UserId(user));
        if (existing is null)
        {
            db.Users.Add(new UserEntity { Id = new UserId(user), DisplayName = $"user{user}", Role = role, CreatedAt = DateTimeOffset.UtcNow });
        }
        else
        {
            existing.Role = role;
        }

        await db.SaveChangesAsync();

        // Written straight to the table, as another instance would: drop this instance's cached copy.
        bot.Services.GetRequiredService<VantaBot.Infrastructure.Persistence.Caching.HotRowCache>().EvictUser(new UserId(user));
    }

    public async Task<Role?> StoredRoleAsync(long user)
    {
        await using var scope = bot.Services.CreateAsyncScope();
        var found = await scope.ServiceProvider.GetRequiredService<IUserDirectory>().FindAsync(new UserId(user), default);
        return found?.Role;
    }

    public async Task<List<AuditLogEntity>> AuditAsync()
    {
        await using var scope = bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<VantaBotDbContext>().AuditLog.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
    }

    /// <summary>Everything an admin command could change, as one comparable string (the audit head excepted: denials move it).</summary>
    public async Task<string> StateAsync()
    {
        await using var scope = bot.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VantaBotDbContext>();
        var settings = await db.SystemSettings.AsNoTracking().Where(s => s.Key != AuditHead.SettingKey).OrderBy(s => s.Key).Select(s => s.Key + "=" + s.Value).ToListAsync();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Id).Select(u => u.Id + ":" + u.Role).ToListAsync();
        var optIns = await db.Set<LiveOptInEntity>().AsNoTracking().Select(o => o.UserId).ToListAsync();
        return string.Join('|', settings) + " || " + string.Join(',', users) + " || " + string.Join(',', optIns);
    }
}

public sealed class ReplyRecorder : IReplyChannel
{
    private readonly List<(long ChatId, string Text, TelegramInlineKeyboardMarkup? Keyboard)> _sent = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _sent.Count;
            }
        }
    }

    public IReadOnlyList<(long ChatId, string Text, TelegramInlineKeyboardMarkup? Keyboard)> Since(int index)
    {
        lock (_gate)
        {
            return _sent.Skip(index).ToArray();
        }
    }

    public Task SendAsync(long chatId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _sent.Add((chatId, text, keyboard));
        }

        return Task.CompletedTask;
    }

    public Task EditAsync(long chatId, long messageId, string text, TelegramInlineKeyboardMarkup? keyboard, CancellationToken cancellationToken) =>
        SendAsync(chatId, text, keyboard, cancellationToken);

    public Task AnswerCallbackAsync(string callbackQueryId, string? text, CancellationToken cancellationToken) => Task.CompletedTask;
}
