using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace VantaBot.Infrastructure.Persistence.Migrations;

/// <summary>
/// Copy-trading (issue #8): who follows whom with which rules, the bot traders who offer to be followed, and the
/// leader trades the watchers saw (one row per trade at its source, so a re-read never records a trade twice).
/// </summary>
[DbContext(typeof(VantaBotDbContext))]
[Migration("20261203000000_CopyTrading")]
public sealed class CopyTrading : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "copy_follows",
            columns: table => new
            {
                follower_id = table.Column<long>(nullable: false),
                leader_kind = table.Column<string>(maxLength: 8, nullable: false),
                leader_key = table.Column<string>(maxLength: 64, nullable: false),
                size_kind = table.Column<string>(maxLength: 16, nullable: false),
                size_value = table.Column<decimal>(nullable: false),
                max_usd = table.Column<decimal>(nullable: true),
                max_leverage = table.Column<decimal>(nullable: true),
                pairs = table.Column<string>(maxLength: 256, nullable: true),
                created_at = table.Column<DateTime>(nullable: false),
                updated_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_copy_follows", x => new { x.follower_id, x.leader_kind, x.leader_key }));
        migrationBuilder.CreateIndex(name: "ix_copy_follows_leader", table: "copy_follows", columns: ["leader_kind", "leader_key", "follower_id"]);

        migrationBuilder.CreateTable(
            name: "copy_leaders",
            columns: table => new
            {
                user_id = table.Column<long>(nullable: false),
                enabled = table.Column<bool>(nullable: false),
                updated_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_copy_leaders", x => x.user_id));

        migrationBuilder.CreateTable(
            name: "copy_leader_trades",
            columns: table => new
            {
                id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                source_key = table.Column<string>(maxLength: 160, nullable: false),
                leader_kind = table.Column<string>(maxLength: 8, nullable: false),
                leader_key = table.Column<string>(maxLength: 64, nullable: false),
                kind = table.Column<string>(maxLength: 16, nullable: false),
                occurred_at = table.Column<DateTime>(nullable: false),
                recorded_at = table.Column<DateTime>(nullable: false),
                fanned_out_at = table.Column<DateTime>(nullable: true),
                chain = table.Column<string>(maxLength: 32, nullable: true),
                token_in = table.Column<string>(maxLength: 16, nullable: true),
                token_out = table.Column<string>(maxLength: 16, nullable: true),
                amount_in = table.Column<decimal>(nullable: true),
                amount_out = table.Column<decimal>(nullable: true),
                transaction_hash = table.Column<string>(maxLength: 66, nullable: true),
                block_number = table.Column<long>(nullable: true),
                leader_position_id = table.Column<Guid>(nullable: true),
                pair = table.Column<string>(maxLength: 24, nullable: true),
                side = table.Column<string>(maxLength: 8, nullable: true),
                collateral = table.Column<decimal>(nullable: true),
                leverage = table.Column<decimal>(nullable: true),
                fraction = table.Column<decimal>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_copy_leader_trades", x => x.id));
        migrationBuilder.CreateIndex(name: "ux_copy_leader_trades_source_key", table: "copy_leader_trades", column: "source_key", unique: true);
        migrationBuilder.CreateIndex(name: "ix_copy_leader_trades_fanned_out_at", table: "copy_leader_trades", column: "fanned_out_at");
        migrationBuilder.CreateIndex(name: "ix_copy_leader_trades_leader", table: "copy_leader_trades", columns: ["leader_kind", "leader_key", "id"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "copy_leader_trades");
        migrationBuilder.DropTable(name: "copy_leaders");
        migrationBuilder.DropTable(name: "copy_follows");
    }
}
