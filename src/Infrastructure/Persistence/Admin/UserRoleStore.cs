using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Caching;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence;

public sealed class UserRoleStore(VantaBotDbContext db, HotRowCache cache, TimeProvider time) : IUserRoleStore
{
    public async Task<bool> TryChangeRoleAsync(UserId user, Role? expected, Role newRole, string displayName, CancellationToken cancellationToken)
    {
        // The new role applies to this user's next update here at once (other instances: within the cache TTL).
        cache.EvictUser(user);
        var users = db.Set<UserEntity>();
        if (expected is { } current)
        {
            // Compare-and-set: two admins changing the same user at once cannot both win on a stale read.
            var changed = await users.Where(u => u.Id == user && u.Role == current)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, newRole), cancellationToken) == 1;

            // Again after the write: an update that read the old row in between must not leave it cached.
            cache.EvictUser(user);
            return changed;
        }

        var row = new UserEntity { Id = user, DisplayName = displayName, Role = newRole, CreatedAt = time.GetUtcNow() };
        users.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            cache.EvictUser(user);
            return true;
        }
        catch (DbUpdateException)
        {
            // The user wrote to the bot (and was registered) in the meantime: their row stands.
            return false;
        }
        finally
        {
            db.Entry(row).State = EntityState.Detached;
        }
    }

    public async Task<IReadOnlyList<BotUser>> ListAtLeastAsync(Role role, CancellationToken cancellationToken)
    {
        // Roles are stored as names, so the comparison happens here rather than in SQL.
        var names = Enum.GetValues<Role>().Where(r => r >= role).ToArray();
        var rows = await db.Set<UserEntity>().AsNoTracking().Where(u => names.Contains(u.Role)).ToListAsync(cancellationToken);
        return rows.Select(r => r.ToDomain()).ToArray();
    }
}
