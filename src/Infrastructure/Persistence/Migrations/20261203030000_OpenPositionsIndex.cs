using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace VantaBot.Infrastructure.Persistence.Migrations;

/// <summary>
/// Issue #9: a partial index of the open positions by pair. The position monitor asks, every 2 s and per pair, only
/// for the open positions whose levels the mark reached; closed positions, which only grow, stay out of the index.
/// </summary>
[DbContext(typeof(VantaBotDbContext))]
[Migration("20261203030000_OpenPositionsIndex")]
public sealed class OpenPositionsIndex : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateIndex(name: "ix_positions_open_pair", table: "positions", column: "pair", filter: VantaBotDbContext.OpenPositionsFilter);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: "ix_positions_open_pair", table: "positions");
    }
}
