using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace VantaBot.Infrastructure.Persistence.Migrations;

/// <summary>
/// Daily equity snapshots (the daily-loss rule's day start), once-per-period job runs, the announced status of
/// price sources and pairs (issue #6); on PostgreSQL also Quartz's job store tables, which only the clustered
/// scheduler uses (SQLite deployments are single-instance and schedule in memory).
/// </summary>
[DbContext(typeof(VantaBotDbContext))]
[Migration("20261122030000_Prices")]
public sealed class Prices : Migration
{
    private const string QuartzScript = "VantaBot.Infrastructure.Persistence.Migrations.Sql.Quartz_Postgres.sql";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "daily_equity_snapshots",
            columns: table => new
            {
                user_id = table.Column<long>(nullable: false),
                day = table.Column<DateOnly>(nullable: false),
                equity = table.Column<decimal>(nullable: false),
                taken_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_daily_equity_snapshots", x => new { x.user_id, x.day }));

        migrationBuilder.CreateTable(
            name: "job_runs",
            columns: table => new
            {
                job = table.Column<string>(maxLength: 64, nullable: false),
                period = table.Column<string>(maxLength: 32, nullable: false),
                instance = table.Column<string>(maxLength: 128, nullable: false),
                ran_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_job_runs", x => new { x.job, x.period }));

        migrationBuilder.CreateTable(
            name: "price_feed_status",
            columns: table => new
            {
                subject = table.Column<string>(maxLength: 64, nullable: false),
                status = table.Column<string>(maxLength: 16, nullable: false),
                detail = table.Column<string>(maxLength: 256, nullable: false),
                changed_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_price_feed_status", x => x.subject));

        if (migrationBuilder.ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL")
        {
            foreach (var statement in QuartzStatements())
            {
                migrationBuilder.Sql(statement);
            }
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        if (migrationBuilder.ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL")
        {
            foreach (var table in new[]
            {
                "job_status", "misfire_history", "execution_history", "locks", "scheduler_state", "fired_triggers", "paused_job_grps",
                "paused_trigger_grps", "calendars", "blob_triggers", "simprop_triggers", "cron_triggers", "simple_triggers", "triggers", "job_details",
            })
            {
                migrationBuilder.Sql($"DROP TABLE IF EXISTS qrtz_{table};");
            }
        }

        migrationBuilder.DropTable(name: "price_feed_status");
        migrationBuilder.DropTable(name: "job_runs");
        migrationBuilder.DropTable(name: "daily_equity_snapshots");
    }

    private static IEnumerable<string> QuartzStatements()
    {
        using var stream = typeof(Prices).Assembly.GetManifestResourceStream(QuartzScript)
            ?? throw new InvalidOperationException($"Embedded resource {QuartzScript} is missing from the build.");
        using var reader = new StreamReader(stream);
        var script = reader.ReadToEnd().Replace("\r", "", StringComparison.Ordinal);
        return script.Split("\n--;;", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(piece => string.Join('\n', piece.Split('\n').Where(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal))).Trim())
            .Where(statement => statement.Length > 0)
            .ToArray();
    }
}
