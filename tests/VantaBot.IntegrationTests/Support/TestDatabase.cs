using Microsoft.EntityFrameworkCore;
using Npgsql;
using VantaBot.Infrastructure.Persistence;

namespace VantaBot.IntegrationTests.Support;

/// <summary>A fresh, empty database of one provider for one test class; dropped on dispose.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "VANTABOT_TEST_PG";

    public abstract DatabaseOptions Options { get; }

    public static TestDatabase Create(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Postgres => PostgresTestDatabase.Create(),
        _ => new SqliteTestDatabase(),
    };

    public VantaBotDbContext CreateContext() => CreateContext(Options);

    public async Task MigrateAsync()
    {
        await using var db = CreateContext();
        await DatabaseInitializer.MigrateAsync(db, CancellationToken.None);
    }

    /// <summary>
    /// Migrates as a separate bot instance would: on PostgreSQL with its own connection pool (a distinct
    /// application name), so concurrent "instances" in one test process share no client-side state.
    /// </summary>
    public async Task MigrateAsInstanceAsync(int instance)
    {
        var options = Options;
        if (options.Provider == DatabaseProvider.Postgres)
        {
            options.ConnectionString = new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString) { ApplicationName = $"vantabot-instance-{instance}" }.ConnectionString;
        }

        await using var db = CreateContext(options);
        await DatabaseInitializer.MigrateAsync(db, CancellationToken.None);
    }

    private static VantaBotDbContext CreateContext(DatabaseOptions options)
    {
        var builder = new DbContextOptionsBuilder<VantaBotDbContext>();
        PersistenceRegistration.Configure(builder, options);
        return new VantaBotDbContext(builder.Options);
    }

    public abstract ValueTask DisposeAsync();
}

public sealed class SqliteTestDatabase : TestDatabase
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"vantabot-test-{Guid.NewGuid():N}.db");

    public override DatabaseOptions Options => new() { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={_path}" };

    public override ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }

        return ValueTask.CompletedTask;
    }
}

public sealed class PostgresTestDatabase : TestDatabase
{
    private readonly string _admin;
    private readonly string _name = $"vb_test_{Guid.NewGuid():N}";

    private PostgresTestDatabase(string admin)
    {
        _admin = admin;
        using var connection = new NpgsqlConnection(admin);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE \"{_name}\"";
        command.ExecuteNonQuery();
    }

    public override DatabaseOptions Options => new()
    {
        Provider = DatabaseProvider.Postgres,
        ConnectionString = new NpgsqlConnectionStringBuilder(_admin) { Database = _name }.ConnectionString,
    };

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{PostgresVariable} is not set. Start the test peers first: '. tests/peers/start.sh' (or run 'bash .ci/run').");

    public static PostgresTestDatabase Create() => new(AdminConnectionString);

    public override async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)";

        // FORCE cannot end a backend of another role (seen: 42501 while an autovacuum worker was in the
        // database); such a worker leaves within moments. The cluster is throwaway, so a database that still
        // cannot be dropped is left behind rather than failing the test that used it.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 10)
            {
                await Task.Delay(200);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                return;
            }
        }
    }
}
