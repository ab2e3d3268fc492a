using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Audit;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Admin;

/// <summary><c>VantaBot.Bot verify-audit</c> as an operator or cron runs it: exit 0 intact, 1 broken, 2 cannot check.</summary>
public sealed class VerifyAuditVerbTests : IAsyncLifetime
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("vantabot-verify-").FullName;
    private readonly SqliteTestDatabase _database = new();

    public async Task InitializeAsync()
    {
        await _database.MigrateAsync();
        await using var db = _database.CreateContext();
        var log = new AuditLog(db, TimeProvider.System);
        for (var i = 0; i < 3; i++)
        {
            await log.AppendAsync(new AuditRecord(new UserId(1), Role.SuperAdmin, "emergency_stop", "", "ok", "t"), default);
        }
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_workDir, recursive: true);
    }

    [Fact]
    public async Task It_exits_zero_on_an_intact_log_and_one_naming_the_row_after_an_edit()
    {
        var (intactCode, intact) = await RunAsync();
        intactCode.ShouldBe(0, intact);
        intact.ShouldContain("✅ Audit log intact: 3 rows");

        await using (var db = _database.CreateContext())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE audit_log SET outcome = 'ok: nothing' WHERE id = 2");
        }

        var (code, output) = await RunAsync();
        code.ShouldBe(1);
        output.ShouldContain("❌ Audit log BROKEN");
        output.ShouldContain("row 2 was edited");
    }

    [Fact]
    public async Task It_exits_two_when_the_database_is_not_migrated()
    {
        var empty = Path.Combine(_workDir, "empty.db");
        var (code, output) = await RunAsync($"Data Source={empty}");
        code.ShouldBe(2);
        output.ShouldContain("not migrated");
    }

    private async Task<(int Code, string Output)> RunAsync(string? connectionString = null)
    {
        using var bot = BotProcess.Start(
            new Dictionary<string, string>
            {
                ["ConnectionStrings__Main"] = connectionString ?? _database.Options.ConnectionString!,
                ["Health__Urls"] = $"http://127.0.0.1:{BotProcess.FreePort()}",
            },
            _workDir,
            ["verify-audit"]);
        bot.Input.Close();
        var code = await bot.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (code, bot.StandardOutput + bot.StandardError);
    }
}
