using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace VantaBot.Infrastructure.Persistence.Migrations;

/// <summary>Per-user rate-limit overrides and the notification outbox (issue #5).</summary>
[DbContext(typeof(VantaBotDbContext))]
[Migration("20261122020000_Limits")]
public sealed class RateLimitsAndOutbox : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "rate_limit_overrides",
            columns: table => new
            {
                user_id = table.Column<long>(nullable: false),
                limit_name = table.Column<string>(maxLength: 16, nullable: false),
                value = table.Column<long>(nullable: false),
                set_by = table.Column<long>(nullable: false),
                set_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_rate_limit_overrides", x => new { x.user_id, x.limit_name });
                table.CheckConstraint("ck_rate_limit_overrides_value_not_negative", "value >= 0");
            });

        migrationBuilder.CreateTable(
            name: "outbox_messages",
            columns: table => new
            {
                id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                dedupe_key = table.Column<string>(maxLength: 160, nullable: false),
                chat_id = table.Column<long>(nullable: false),
                text = table.Column<string>(maxLength: 4096, nullable: false),
                created_at = table.Column<DateTime>(nullable: false),
                delivered_at = table.Column<DateTime>(nullable: true),
                attempts = table.Column<int>(nullable: false),
                next_attempt_at = table.Column<DateTime>(nullable: false),
                last_error = table.Column<string>(maxLength: 512, nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_outbox_messages", x => x.id));
        migrationBuilder.CreateIndex(name: "ux_outbox_messages_dedupe_key", table: "outbox_messages", column: "dedupe_key", unique: true);
        migrationBuilder.CreateIndex(name: "ix_outbox_messages_due", table: "outbox_messages", columns: ["delivered_at", "next_attempt_at"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "outbox_messages");
        migrationBuilder.DropTable(name: "rate_limit_overrides");
    }
}
