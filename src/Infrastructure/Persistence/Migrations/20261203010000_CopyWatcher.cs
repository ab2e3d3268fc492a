using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace VantaBot.Infrastructure.Persistence.Migrations;

/// <summary>
/// Copy-trading watcher (issue #8): per chain, the last block the EVM leader watcher has scanned and that block's hash
/// (a restart resumes there; a changed hash reveals a reorg deeper than the confirmation depth).
/// </summary>
[DbContext(typeof(VantaBotDbContext))]
[Migration("20261203010000_CopyWatcher")]
public sealed class CopyWatcher : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "copy_chain_cursors",
            columns: table => new
            {
                chain = table.Column<string>(maxLength: 32, nullable: false),
                block_number = table.Column<long>(nullable: false),
                block_hash = table.Column<string>(maxLength: 66, nullable: false),
                updated_at = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_copy_chain_cursors", x => x.chain));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "copy_chain_cursors");
    }
}
