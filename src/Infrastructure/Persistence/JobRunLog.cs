using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.DailyLoss;

namespace VantaBot.Infrastructure.Persistence;

public sealed class JobRunLog(VantaBotDbContext db) : IJobRunLog
{
    public Task<bool> HasRunAsync(string job, string period, CancellationToken cancellationToken) =>
        db.Set<JobRunEntity>().AnyAsync(r => r.Job == job && r.Period == period, cancellationToken);

    public async Task<bool> TryRecordAsync(string job, string period, string instance, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var entity = new JobRunEntity { Job = job, Period = period, Instance = instance.Length <= 128 ? instance : instance[..128], RanAt = at };
        db.Set<JobRunEntity>().Add(entity);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            db.Entry(entity).State = EntityState.Detached;
            if (await HasRunAsync(job, period, cancellationToken))
            {
                return false;
            }

            throw;
        }
        finally
        {
            db.Entry(entity).State = EntityState.Detached;
        }
    }
}
