using Microsoft.EntityFrameworkCore;
using VantaBot.Risk;

namespace VantaBot.Infrastructure.Persistence;

public sealed class ExecutionModeStore(VantaBotDbContext db) : IExecutionModeStore
{
    public const string Key = "execution_mode";

    public async Task<ExecutionMode> GetAsync(CancellationToken cancellationToken)
    {
        var value = await db.SystemSettings.AsNoTracking().Where(s => s.Key == Key).Select(s => s.Value).SingleOrDefaultAsync(cancellationToken);

        // Anything unreadable means DRY: a corrupted row must never switch a deployment to real money.
        return Enum.TryParse<ExecutionMode>(value, ignoreCase: true, out var mode) && Enum.IsDefined(mode) ? mode : ExecutionMode.Dry;
    }
}
