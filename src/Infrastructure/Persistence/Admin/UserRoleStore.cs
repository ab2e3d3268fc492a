using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Caching;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence;

public sealed class UserRoleStore(VantaBotDbContext db, HotRowCache cache, TimeProvider time) : IUserRoleStore
{
    public async Task<bool> TryChangeRoleAsync(UserId user, Role? expected, Role newRole, string displayName, CancellationToken cancellationToken)
    {
        try
        {
            return await ChangeAsync(user, expected, newRole, displayName, cancellationToken);
        }
        finally
        {
            // After the write: the new role applies to this user's next update here at once (other instances:
            // within the cache TTL), and an update that read the old row meanwhile does not keep it cached.
            cache.EvictUser(user);
        }
    }

    private async Task<bool> ChangeAsync(UserId user, Role? expected, Role newRole, string displayName, CancellationToken cancellationToken)
    {
        var users = db.Set<UserEntity>();
        if (expected is { } current)
        {
            // Compare-and-set: two admins changing the same user at once cannot both win on a stale read.
            return await users.Where(u => u.Id == user && u.Role == current)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, newRole), cancellationToken) == 1;
        }

        var row = new UserEntity { Id = user, DisplayName = displayName, Role = newRole, CreatedAt = time.GetUtcNow() };
        users.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
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
