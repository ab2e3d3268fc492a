using Microsoft.EntityFrameworkCore;
using VantaBot.Trading.Perps;

namespace VantaBot.Infrastructure.Persistence;

/// <summary>
/// Typed ids as their columns store them, for hand-written SQL: LINQ gets this from the model's converters, a
/// parameter of raw SQL does not. SQLite keeps a GUID as upper-case text (EF Core's mapping); PostgreSQL as uuid.
/// </summary>
internal static class StoredIds
{
    public static object Of(VantaBotDbContext db, IntentId intent) => Of(db, intent.Value);

    public static object Of(VantaBotDbContext db, Guid id) =>
        db.Database.IsSqlite() ? id.ToString("D").ToUpperInvariant() : id;
}
