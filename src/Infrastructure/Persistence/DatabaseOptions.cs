namespace VantaBot.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Settings under <c>Database__*</c>; the connection string itself is <c>ConnectionStrings__Main</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public const string DefaultSqliteConnectionString = "Data Source=vantabot.db";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Filled from <c>ConnectionStrings:Main</c>; SQLite falls back to a file next to the process.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How long readiness waits for the database to answer.</summary>
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long this instance reuses a user's role (Viewer and Trader only) and rate-limit overrides instead of
    /// reading them for every update (see <see cref="Caching.HotRowCache"/>); changes made through another instance
    /// are seen within this time. Zero reads them every time.
    /// </summary>
    public TimeSpan ReadCacheTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// SQLite only: how long a writer waits its turn in this process's queue (<see cref="Sqlite.SqliteWriteGate"/>)
    /// before it goes straight to SQLite, whose own retry sleeps 150 ms per collision. Zero turns the queue off.
    /// </summary>
    public TimeSpan SqliteWriterQueueTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public string EffectiveConnectionString =>
        string.IsNullOrWhiteSpace(ConnectionString) && Provider == DatabaseProvider.Sqlite
            ? DefaultSqliteConnectionString
            : ConnectionString ?? "";
}
