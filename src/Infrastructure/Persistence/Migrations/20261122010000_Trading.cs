using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace VantaBot.Infrastructure.Persistence.Migrations;

/// <summary>Accounts, the append-only ledger, write-ahead order intents and positions (issue #3).</summary>
[DbContext(typeof(VantaBotDbContext))]
[Migration("20261122010000_Trading")]
public sealed class Trading : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "accounts",
            columns: table => new
            {
                user_id = table.Column<long>(nullable: false),
                balance_micros = table.Column<long>(nullable: false),
                held_micros = table.Column<long>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_accounts", x => x.user_id);

                // The database itself refuses an overdraft, whatever a bug in the code above it does.
                table.CheckConstraint("ck_accounts_available_not_negative", "held_micros >= 0 AND balance_micros - held_micros >= 0");
            });

        migrationBuilder.CreateTable(
            name: "ledger_entries",
            columns: table => new
            {
                id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                user_id = table.Column<long>(nullable: false),
                kind = table.Column<string>(maxLength: 32, nullable: false),
                amount_micros = table.Column<long>(nullable: false),
                reference = table.Column<string>(maxLength: 128, nullable: false),
                created_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_ledger_entries", x => x.id));
        migrationBuilder.CreateIndex(
            name: "ux_ledger_entries_user_kind_reference", table: "ledger_entries", columns: ["user_id", "kind", "reference"], unique: true);

        migrationBuilder.CreateTable(
            name: "order_intents",
            columns: table => new
            {
                id = table.Column<Guid>(nullable: false),
                user_id = table.Column<long>(nullable: false),
                kind = table.Column<string>(maxLength: 16, nullable: false),
                state = table.Column<string>(maxLength: 16, nullable: false),
                idempotency_key = table.Column<string>(maxLength: 128, nullable: false),
                pair = table.Column<string>(maxLength: 24, nullable: false),
                side = table.Column<string>(maxLength: 8, nullable: false),
                collateral = table.Column<decimal>(nullable: false),
                leverage = table.Column<decimal>(nullable: false),
                take_profit = table.Column<decimal>(nullable: true),
                stop_loss = table.Column<decimal>(nullable: true),
                position_id = table.Column<Guid>(nullable: true),
                close_fraction = table.Column<decimal>(nullable: false),
                held_micros = table.Column<long>(nullable: false),
                failure_reason = table.Column<string>(maxLength: 512, nullable: true),
                created_at = table.Column<DateTime>(nullable: false),
                updated_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_order_intents", x => x.id));
        migrationBuilder.CreateIndex(
            name: "ux_order_intents_user_idempotency_key", table: "order_intents", columns: ["user_id", "idempotency_key"], unique: true);
        migrationBuilder.CreateIndex(name: "ix_order_intents_state", table: "order_intents", column: "state");

        migrationBuilder.CreateTable(
            name: "positions",
            columns: table => new
            {
                id = table.Column<Guid>(nullable: false),
                user_id = table.Column<long>(nullable: false),
                open_intent_id = table.Column<Guid>(nullable: false),
                pair = table.Column<string>(maxLength: 24, nullable: false),
                side = table.Column<string>(maxLength: 8, nullable: false),
                collateral_micros = table.Column<long>(nullable: false),
                leverage = table.Column<decimal>(nullable: false),
                entry_price = table.Column<decimal>(nullable: false),
                liquidation_price = table.Column<decimal>(nullable: false),
                take_profit = table.Column<decimal>(nullable: true),
                stop_loss = table.Column<decimal>(nullable: false),
                stop_loss_set_by_bot = table.Column<bool>(nullable: false),
                open_fee_micros = table.Column<long>(nullable: false),
                opened_at = table.Column<DateTime>(nullable: false),
                status = table.Column<string>(maxLength: 16, nullable: false),
                realized_pnl_micros = table.Column<long>(nullable: false),
                closed_at = table.Column<DateTime>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_positions", x => x.id));
        migrationBuilder.CreateIndex(name: "ux_positions_open_intent_id", table: "positions", column: "open_intent_id", unique: true);
        migrationBuilder.CreateIndex(name: "ix_positions_user_status", table: "positions", columns: ["user_id", "status"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "positions");
        migrationBuilder.DropTable(name: "order_intents");
        migrationBuilder.DropTable(name: "ledger_entries");
        migrationBuilder.DropTable(name: "accounts");
    }
}
