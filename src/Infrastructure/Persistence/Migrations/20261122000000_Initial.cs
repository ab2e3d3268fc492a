using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace VantaBot.Infrastructure.Persistence.Migrations;

/// <summary>
/// Hand-written (no EF design-time tooling here). Column types are left to each provider's mapping of the CLR
/// type, so this one migration produces the right schema on SQLite and on PostgreSQL; identity columns carry
/// both providers' annotations and each provider reads only its own.
/// </summary>
[DbContext(typeof(VantaBotDbContext))]
[Migration("20261122000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "users",
            columns: table => new
            {
                telegram_id = table.Column<long>(nullable: false),
                display_name = table.Column<string>(maxLength: 128, nullable: false),
                role = table.Column<string>(maxLength: 16, nullable: false),
                created_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_users", x => x.telegram_id));

        migrationBuilder.CreateTable(
            name: "processed_updates",
            columns: table => new
            {
                update_id = table.Column<long>(nullable: false),
                kind = table.Column<string>(maxLength: 32, nullable: false),
                received_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_processed_updates", x => x.update_id));

        migrationBuilder.CreateTable(
            name: "audit_log",
            columns: table => new
            {
                id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                at = table.Column<DateTime>(nullable: false),
                actor_id = table.Column<long>(nullable: true),
                actor_role = table.Column<string>(maxLength: 16, nullable: false),
                command = table.Column<string>(maxLength: 64, nullable: false),
                arguments = table.Column<string>(maxLength: 1024, nullable: false),
                outcome = table.Column<string>(maxLength: 256, nullable: false),
                trace_id = table.Column<string>(maxLength: 64, nullable: false),
                previous_hash = table.Column<string>(maxLength: 64, nullable: false),
                hash = table.Column<string>(maxLength: 64, nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_audit_log", x => x.id));

        migrationBuilder.CreateIndex(name: "ix_audit_log_actor_id", table: "audit_log", column: "actor_id");

        migrationBuilder.CreateTable(
            name: "system_settings",
            columns: table => new
            {
                key = table.Column<string>(maxLength: 64, nullable: false),
                value = table.Column<string>(maxLength: 1024, nullable: false),
                updated_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_system_settings", x => x.key));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "system_settings");
        migrationBuilder.DropTable(name: "audit_log");
        migrationBuilder.DropTable(name: "processed_updates");
        migrationBuilder.DropTable(name: "users");
    }
}
