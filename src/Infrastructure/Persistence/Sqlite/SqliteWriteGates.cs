using System.Collections.Concurrent;
using System.Data.Common;

namespace VantaBot.Infrastructure.Persistence.Sqlite;

/// <summary>
/// One asynchronous lock per SQLite database file, for the whole process. SQLite's write lock belongs to the file,
/// not to a context, a host or an options instance, so the locks that mirror it are process-wide too: two hosts in one
/// process (the tests, the benchmarks) writing one file queue on the same lock.
/// </summary>
public sealed class SqliteWriteGates
{
    public static SqliteWriteGates Shared { get; } = new();

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _byFile = new(StringComparer.Ordinal);

    /// <summary>
    /// The lock for the open connection's database, or null for a private in-memory database, which no other
    /// connection can see and so nothing can contend for.
    /// </summary>
    public SemaphoreSlim? For(DbConnection connection)
    {
        // An open connection reports the file's full path, so "vantabot.db" and "./vantabot.db" share one lock.
        var file = connection.DataSource;
        string key;
        if (!string.IsNullOrEmpty(file) && file != ":memory:")
        {
            key = file;
        }
        else if (connection.ConnectionString.Contains("Cache=Shared", StringComparison.OrdinalIgnoreCase))
        {
            // A named shared-cache memory database has no file; its connection string names it.
            key = connection.ConnectionString;
        }
        else
        {
            return null;
        }

        return _byFile.GetOrAdd(key, static _ => new SemaphoreSlim(1, 1));
    }
}
