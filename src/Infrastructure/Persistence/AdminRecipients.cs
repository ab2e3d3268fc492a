using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence;

/// <summary>Users holding Admin or SuperAdmin in the users table (configured super-admins are added by the caller).</summary>
public sealed class AdminRecipients(VantaBotDbContext db)
{
    public async Task<IReadOnlyList<UserId>> ListAsync(CancellationToken cancellationToken) =>
        await db.Set<UserEntity>().AsNoTracking()
            .Where(u => u.Role == Role.Admin || u.Role == Role.SuperAdmin)
            .Select(u => u.Id)
            .ToListAsync(cancellationToken);
}
