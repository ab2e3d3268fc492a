using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace VantaBot.Infrastructure.Persistence.Migrations;

/// <summary>
/// Custodial wallets (issue #7): one per user and chain family, each with its private key sealed by the key vault
/// (envelope encryption; blobs are BLOB on SQLite and bytea on PostgreSQL).
/// </summary>
[DbContext(typeof(VantaBotDbContext))]
[Migration("20261122060000_Wallets")]
public sealed class Wallets : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "wallets",
            columns: table => new
            {
                id = table.Column<Guid>(nullable: false),
                user_id = table.Column<long>(nullable: false),
                chain_family = table.Column<string>(maxLength: 8, nullable: false),
                address = table.Column<string>(maxLength: 64, nullable: false),
                encrypted_key = table.Column<byte[]>(nullable: false),
                key_nonce = table.Column<byte[]>(nullable: false),
                key_tag = table.Column<byte[]>(nullable: false),
                wrapped_data_key = table.Column<byte[]>(nullable: false),
                data_key_nonce = table.Column<byte[]>(nullable: false),
                data_key_tag = table.Column<byte[]>(nullable: false),
                master_key_id = table.Column<string>(maxLength: 64, nullable: false),
                created_at = table.Column<DateTime>(nullable: false),
                rotated_at = table.Column<DateTime>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_wallets", x => x.id));

        // The unique (user, family) pair is what makes get-or-create idempotent across instances.
        migrationBuilder.CreateIndex(name: "ux_wallets_user_chain_family", table: "wallets", columns: ["user_id", "chain_family"], unique: true);
        migrationBuilder.CreateIndex(name: "ux_wallets_address", table: "wallets", column: "address", unique: true);
        migrationBuilder.CreateIndex(name: "ix_wallets_master_key_id", table: "wallets", column: "master_key_id");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "wallets");
    }
}
