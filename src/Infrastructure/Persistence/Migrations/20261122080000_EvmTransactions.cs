using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace VantaBot.Infrastructure.Persistence.Migrations;

/// <summary>
/// EVM transaction queue (issue #7): transactions (one nonce each), their signed attempts (write-ahead: stored before
/// the broadcast) and the next nonce per (chain, address).
/// </summary>
[DbContext(typeof(VantaBotDbContext))]
[Migration("20261122080000_EvmTransactions")]
public sealed class EvmTransactions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "evm_transactions",
            columns: table => new
            {
                id = table.Column<Guid>(nullable: false),
                chain = table.Column<string>(maxLength: 32, nullable: false),
                wallet_id = table.Column<Guid>(nullable: false),
                from_address = table.Column<string>(maxLength: 42, nullable: false),
                nonce = table.Column<long>(nullable: false),
                purpose = table.Column<string>(maxLength: 64, nullable: false),
                intent_id = table.Column<Guid>(nullable: true),
                state = table.Column<string>(maxLength: 16, nullable: false),
                mined_hash = table.Column<string>(maxLength: 66, nullable: true),
                detail = table.Column<string>(maxLength: 512, nullable: true),
                created_at = table.Column<DateTime>(nullable: false),
                updated_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_evm_transactions", x => x.id));
        migrationBuilder.CreateIndex(name: "ix_evm_transactions_chain_state", table: "evm_transactions", columns: ["chain", "state"]);
        migrationBuilder.CreateIndex(name: "ix_evm_transactions_chain_from_nonce", table: "evm_transactions", columns: ["chain", "from_address", "nonce"]);
        migrationBuilder.CreateIndex(name: "ix_evm_transactions_intent_id", table: "evm_transactions", column: "intent_id");

        migrationBuilder.CreateTable(
            name: "evm_transaction_attempts",
            columns: table => new
            {
                id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                transaction_id = table.Column<Guid>(nullable: false),
                hash = table.Column<string>(maxLength: 66, nullable: false),
                raw_transaction = table.Column<byte[]>(nullable: false),
                max_fee_per_gas = table.Column<string>(maxLength: 80, nullable: false),
                max_priority_fee_per_gas = table.Column<string>(maxLength: 80, nullable: false),
                created_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_evm_transaction_attempts", x => x.id);
                table.ForeignKey("fk_evm_transaction_attempts_transaction", x => x.transaction_id, "evm_transactions", "id");
            });
        migrationBuilder.CreateIndex(name: "ux_evm_transaction_attempts_transaction_hash", table: "evm_transaction_attempts", columns: ["transaction_id", "hash"], unique: true);

        migrationBuilder.CreateTable(
            name: "evm_nonces",
            columns: table => new
            {
                chain = table.Column<string>(maxLength: 32, nullable: false),
                address = table.Column<string>(maxLength: 42, nullable: false),
                next_nonce = table.Column<long>(nullable: false),
                updated_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_evm_nonces", x => new { x.chain, x.address }));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "evm_nonces");
        migrationBuilder.DropTable(name: "evm_transaction_attempts");
        migrationBuilder.DropTable(name: "evm_transactions");
    }
}
