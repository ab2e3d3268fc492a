using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace VantaBot.Infrastructure.Persistence.Migrations;

/// <summary>
/// Copy-trading mirrors (issue #8): one row per follower and leader trade, claimed by workers with a lease; and an
/// index to find the captured open of a leader's position when the leader closes it.
/// </summary>
[DbContext(typeof(VantaBotDbContext))]
[Migration("20261203020000_CopyMirrors")]
public sealed class CopyMirrors : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "copy_mirrors",
            columns: table => new
            {
                id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                leader_trade_id = table.Column<long>(nullable: false),
                follower_id = table.Column<long>(nullable: false),
                state = table.Column<string>(maxLength: 16, nullable: false),
                reason = table.Column<string>(maxLength: 512, nullable: true),
                follower_position_id = table.Column<Guid>(nullable: true),
                idempotency_key = table.Column<string>(maxLength: 64, nullable: false),
                claimed_until = table.Column<DateTime>(nullable: true),
                attempts = table.Column<int>(nullable: false),
                created_at = table.Column<DateTime>(nullable: false),
                updated_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_copy_mirrors", x => x.id));
        migrationBuilder.CreateIndex(name: "ux_copy_mirrors_trade_follower", table: "copy_mirrors", columns: ["leader_trade_id", "follower_id"], unique: true);
        migrationBuilder.CreateIndex(name: "ix_copy_mirrors_state", table: "copy_mirrors", columns: ["state", "id"]);
        migrationBuilder.CreateIndex(name: "ix_copy_leader_trades_leader_position", table: "copy_leader_trades", column: "leader_position_id");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: "ix_copy_leader_trades_leader_position", table: "copy_leader_trades");
        migrationBuilder.DropTable(name: "copy_mirrors");
    }
}
