using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace VantaBot.Infrastructure.Persistence.Migrations;

/// <summary>
/// Update completion (issue #9): <c>processed_updates.completed_at</c>, null while an update is being handled. A
/// claim that never completed (the process died between the claim and the reply) can then be handled again.
/// </summary>
[DbContext(typeof(VantaBotDbContext))]
[Migration("20261122090000_UpdateCompletion")]
public sealed class UpdateCompletion : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<DateTime>(name: "completed_at", table: "processed_updates", nullable: true);

        // Rows from before this migration were handled by the claim-first pipeline: count them as completed, or the
        // first start would release and handle again every update Telegram still holds.
        migrationBuilder.Sql("UPDATE processed_updates SET completed_at = received_at");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "completed_at", table: "processed_updates");
    }
}
