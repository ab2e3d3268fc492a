using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace VantaBot.Infrastructure.Persistence.Migrations;

/// <summary>Closing positions (issue #3): the close record, the one-close-at-a-time claim, and intent fields recovery needs.</summary>
[DbContext(typeof(VantaBotDbContext))]
[Migration("20261122050000_PerpsClose")]
public sealed class PerpsClose : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<Guid>(name: "closing_intent_id", table: "positions", nullable: true);
        migrationBuilder.AddColumn<bool>(name: "stop_loss_set_by_bot", table: "order_intents", nullable: false, defaultValue: false);
        migrationBuilder.AddColumn<string>(name: "close_reason", table: "order_intents", maxLength: 16, nullable: true);

        migrationBuilder.CreateTable(
            name: "position_closes",
            columns: table => new
            {
                intent_id = table.Column<Guid>(nullable: false),
                position_id = table.Column<Guid>(nullable: false),
                user_id = table.Column<long>(nullable: false),
                pair = table.Column<string>(maxLength: 24, nullable: false),
                side = table.Column<string>(maxLength: 8, nullable: false),
                reason = table.Column<string>(maxLength: 16, nullable: false),
                fraction = table.Column<decimal>(nullable: false),
                closed_collateral_micros = table.Column<long>(nullable: false),
                leverage = table.Column<decimal>(nullable: false),
                entry_price = table.Column<decimal>(nullable: false),
                exit_price = table.Column<decimal>(nullable: false),
                gross_pnl_micros = table.Column<long>(nullable: false),
                fees_micros = table.Column<long>(nullable: false),
                payout_micros = table.Column<long>(nullable: false),
                realized_pnl_micros = table.Column<long>(nullable: false),
                closed_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_position_closes", x => x.intent_id));
        migrationBuilder.CreateIndex(name: "ix_position_closes_user_closed_at", table: "position_closes", columns: ["user_id", "closed_at"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "position_closes");
        migrationBuilder.DropColumn(name: "close_reason", table: "order_intents");
        migrationBuilder.DropColumn(name: "stop_loss_set_by_bot", table: "order_intents");
        migrationBuilder.DropColumn(name: "closing_intent_id", table: "positions");
    }
}
