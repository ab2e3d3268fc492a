using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace VantaBot.Infrastructure.Persistence.Migrations;

/// <summary>Swaps (issue #7): write-ahead swap intents, whose unresolved inputs are the wallet's holds, and the per-wallet-token lock row.</summary>
[DbContext(typeof(VantaBotDbContext))]
[Migration("20261122070000_Swaps")]
public sealed class Swaps : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "swap_intents",
            columns: table => new
            {
                id = table.Column<Guid>(nullable: false),
                user_id = table.Column<long>(nullable: false),
                idempotency_key = table.Column<string>(maxLength: 128, nullable: false),
                state = table.Column<string>(maxLength: 16, nullable: false),
                mode = table.Column<string>(maxLength: 8, nullable: false),
                chain = table.Column<string>(maxLength: 32, nullable: false),
                wallet_address = table.Column<string>(maxLength: 64, nullable: false),
                token_in_symbol = table.Column<string>(maxLength: 16, nullable: false),
                token_in_address = table.Column<string>(maxLength: 64, nullable: false),
                token_in_decimals = table.Column<int>(nullable: false),
                token_out_symbol = table.Column<string>(maxLength: 16, nullable: false),
                token_out_address = table.Column<string>(maxLength: 64, nullable: false),
                token_out_decimals = table.Column<int>(nullable: false),
                amount_in_raw = table.Column<string>(maxLength: 80, nullable: false),
                expected_out_raw = table.Column<string>(maxLength: 80, nullable: false),
                minimum_out_raw = table.Column<string>(maxLength: 80, nullable: false),
                route = table.Column<string>(maxLength: 64, nullable: false),
                amount_out_raw = table.Column<string>(maxLength: 80, nullable: true),
                transaction_hash = table.Column<string>(maxLength: 66, nullable: true),
                failure_reason = table.Column<string>(maxLength: 512, nullable: true),
                created_at = table.Column<DateTime>(nullable: false),
                updated_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_swap_intents", x => x.id));
        migrationBuilder.CreateIndex(name: "ux_swap_intents_user_key", table: "swap_intents", columns: ["user_id", "idempotency_key"], unique: true);
        migrationBuilder.CreateIndex(name: "ix_swap_intents_state_created", table: "swap_intents", columns: ["state", "created_at"]);
        migrationBuilder.CreateIndex(name: "ix_swap_intents_hold", table: "swap_intents", columns: ["chain", "wallet_address", "token_in_address", "state"]);

        // One row per (chain, wallet, token), upserted as a swap's first statement: PostgreSQL row-locks it and SQLite
        // takes its write lock, so the balance check and the new hold of one wallet's token are serialized.
        migrationBuilder.CreateTable(
            name: "swap_hold_locks",
            columns: table => new
            {
                chain = table.Column<string>(maxLength: 32, nullable: false),
                wallet_address = table.Column<string>(maxLength: 64, nullable: false),
                token_address = table.Column<string>(maxLength: 64, nullable: false),
                touched_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_swap_hold_locks", x => new { x.chain, x.wallet_address, x.token_address }));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "swap_hold_locks");
        migrationBuilder.DropTable(name: "swap_intents");
    }
}
