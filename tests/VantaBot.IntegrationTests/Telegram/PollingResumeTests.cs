using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;

namespace VantaBot.IntegrationTests.Telegram;

/// <summary>
/// A poller that died between claiming an update and completing it: at its next start it releases that claim,
/// resumes getUpdates at it, and so handles Telegram's re-delivery (a completed update before it is not handled
/// again). The Bot API is a scripted fake of our own port that keeps updates the way Telegram does: every update at
/// or above the offset, forgetting those below it.
/// </summary>
public abstract class PollingResumeTests(DatabaseProvider provider) : ScriptedPollingTest(provider)
{
    private const long Chat = 5_500_001;

    [Fact]
    public async Task An_update_claimed_but_never_completed_by_the_previous_run_is_handled_after_a_restart()
    {
        // The previous run: update 100 handled to the end, 101 claimed and then the process died.
        await using (var db = Database.CreateContext())
        {
            var store = new ProcessedUpdateStore(db, TimeProvider.System);
            var abandonedBefore = DateTimeOffset.UtcNow.AddMinutes(-2);
            (await store.TryClaimAsync(100, "message", abandonedBefore, default)).ShouldBeTrue();
            await store.CompleteAsync(100, default);
            (await store.TryClaimAsync(101, "message", abandonedBefore, default)).ShouldBeTrue();
        }

        // Telegram still holds 100 (not yet confirmed by a higher offset), 101 and a new 102.
        Api.Hold(Message(100, Chat, "/echo-never-again"), Message(101, Chat, "/balance"), Message(102, Chat, "/help"));

        var restarted = DateTimeOffset.UtcNow;
        await StartBotAsync();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (!await AllCompletedAsync(3) && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Api.Offsets.First().ShouldBe(101, "resumed at the released claim, which also confirms 100 to Telegram");
        await using var check = Database.CreateContext();
        var rows = await check.ProcessedUpdates.AsNoTracking().OrderBy(u => u.UpdateId).ToListAsync();
        rows.Select(r => r.UpdateId).ShouldBe([100L, 101L, 102L]);
        rows.ShouldAllBe(r => r.CompletedAt != null);
        rows[0].CompletedAt!.Value.ShouldBeLessThan(restarted, "100 was not handled again");
        rows[1].CompletedAt!.Value.ShouldBeGreaterThan(restarted, "101 was handled by the new run");
    }

    private async Task<bool> AllCompletedAsync(int count)
    {
        await using var db = Database.CreateContext();
        return await db.ProcessedUpdates.CountAsync(u => u.CompletedAt != null) >= count;
    }
}

public sealed class SqlitePollingResumeTests() : PollingResumeTests(DatabaseProvider.Sqlite);

public sealed class PostgresPollingResumeTests() : PollingResumeTests(DatabaseProvider.Postgres);
