using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace VantaBot.Infrastructure.Persistence.Migrations;

/// <summary>
/// Admin controls (issue #4): per-user LIVE opt-ins, instance heartbeats, and the audit log's head anchor.
/// Stop and maintenance switches live in the existing <c>system_settings</c> table.
/// </summary>
[DbContext(typeof(VantaBotDbContext))]
[Migration("20261122040000_Admin")]
public sealed class Admin : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "live_opt_ins",
            columns: table => new
            {
                user_id = table.Column<long>(nullable: false),
                opted_in_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_live_opt_ins", x => x.user_id));

        migrationBuilder.CreateTable(
            name: "instance_heartbeats",
            columns: table => new
            {
                instance_id = table.Column<string>(maxLength: 96, nullable: false),
                host = table.Column<string>(maxLength: 128, nullable: false),
                version = table.Column<string>(maxLength: 64, nullable: false),
                started_at = table.Column<DateTime>(nullable: false),
                last_seen_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_instance_heartbeats", x => x.instance_id));
        migrationBuilder.CreateIndex(name: "ix_instance_heartbeats_last_seen_at", table: "instance_heartbeats", column: "last_seen_at");

        // Anchor an existing audit log at its current last row, so deleting rows from its end is detectable from
        // now on (the chain alone cannot see a missing tail). The same SQL runs on SQLite and PostgreSQL.
        migrationBuilder.Sql(
            $"""
            INSERT INTO system_settings (key, value, updated_at)
            SELECT '{AuditHead.SettingKey}', CAST(id AS VARCHAR(20)) || ':' || hash, at
            FROM audit_log
            WHERE id = (SELECT MAX(id) FROM audit_log);
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql($"DELETE FROM system_settings WHERE key = '{AuditHead.SettingKey}';");
        migrationBuilder.DropTable(name: "instance_heartbeats");
        migrationBuilder.DropTable(name: "live_opt_ins");
    }
}
