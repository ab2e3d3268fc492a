using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Caching;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence;

public sealed class UserDirectory(VantaBotDbContext db, HotRowCache cache, TimeProvider time) : IUserDirectory
{
    private const int MaxDisplayNameLength = 128;

    // Compiled: every update whose sender is not in the HotRowCache reads the user first.
    private static readonly PerModelQuery<Func<VantaBotDbContext, UserId, CancellationToken, Task<UserEntity?>>> ByIdQuery = new(() =>
        EF.CompileAsyncQuery((VantaBotDbContext db, UserId id, CancellationToken _) => db.Users.AsNoTracking().SingleOrDefault(u => u.Id == id)));

    public async Task<BotUser> RegisterOrGetAsync(UserId id, string displayName, Role initialRole, CancellationToken cancellationToken)
    {
        // Every update identifies its sender first: a cached Viewer or Trader costs no round trip (see HotRowCache).
        if (cache.TryGetUser(id, out var cached))
        {
            return cached;
        }

        var existing = await FindAsync(id, cancellationToken);
        if (existing is not null)
        {
            cache.PutUser(existing);
            return existing;
        }

        var entity = new UserEntity
        {
            Id = id,
            DisplayName = Truncate(displayName),
            Role = initialRole,
            CreatedAt = time.GetUtcNow(),
        };
        db.Users.Add(entity);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            var registered = entity.ToDomain();
            cache.PutUser(registered);
            return registered;
        }
        catch (DbUpdateException)
        {
            // A concurrent first contact of the same user won the insert; theirs is the row.
            db.Entry(entity).State = EntityState.Detached;
            return await FindAsync(id, cancellationToken) ?? throw new InvalidOperationException($"User {id} could be neither inserted nor read.");
        }
    }

    public async Task<BotUser?> FindAsync(UserId id, CancellationToken cancellationToken)
    {
        var entity = await ByIdQuery.For(db)(db, id, cancellationToken);
        return entity?.ToDomain();
    }

    public Task<int> CountAsync(CancellationToken cancellationToken) => db.Users.CountAsync(cancellationToken);

    private static string Truncate(string name)
    {
        // Names are the user's own text: a NUL or a lone surrogate must not make registration fail on PostgreSQL.
        return StorableText.Clip(name.Trim(), MaxDisplayNameLength);
    }
}
