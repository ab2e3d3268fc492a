using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VantaBot.Infrastructure.Persistence.Sqlite;
using VantaBot.Risk;
using VantaBot.Trading.Audit;
using VantaBot.Infrastructure.Persistence.Copy;
using VantaBot.Trading.Control;
using VantaBot.Trading.Copy;
using VantaBot.Trading.DailyLoss;
using VantaBot.Trading.Execution;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Prices;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence;

public static class PersistenceRegistration
{
    public static IServiceCollection AddVantaBotPersistence(this IServiceCollection services, DatabaseOptions options)
    {
        // Pooled: every update opens a scope, and building a context (its services, change tracker, state manager)
        // for each was a measurable share of an update's CPU; the options are built once (the pool's singleton), not
        // per scope (about a quarter of a millisecond each time, bench/VantaBot.Bench.Load). A returned context is
        // reset (change tracker cleared, transaction and connection closed) before its next lease. Pooling was off for
        // a while because ConcurrentLiveSwapTests failed with it ("swap dropped, nonce used by another transaction");
        // the cause was the EVM inspector settling mined transactions Dropped while anvil's receipt was not readable
        // yet (fixed there), not the pool: no context is used after its scope ends (checked with a lease probe over
        // the Evm, Swaps and Copy suites). That rule must hold: a context (or a store holding one) kept past its scope
        // would be handed to another scope by the pool while still in use, silently, where unpooled it would throw.
        services.AddDbContextPool<VantaBotDbContext>((provider, builder) => Configure(builder, options, provider.GetService<ILoggerFactory>()));
        services.AddSingleton<DatabaseReadiness>();
        services.AddSingleton<Caching.HotRowCache>();
        services.AddHostedService<DatabaseInitializer>();
        services.AddScoped<IUserDirectory, UserDirectory>();
        services.AddScoped<IProcessedUpdateStore, ProcessedUpdateStore>();
        services.AddScoped<IAuditLog, AuditLog>();
        services.AddScoped<IExecutionModeStore, ExecutionModeStore>();
        services.AddScoped<SystemSettingStore>();
        services.AddScoped<IControlStateStore, ControlStateStore>();
        services.AddScoped<IExecutionModeWriter, ExecutionModeWriter>();
        services.AddScoped<ILiveOptInStore, LiveOptInStore>();
        services.AddScoped<IUserRoleStore, UserRoleStore>();
        services.AddScoped<InstanceHeartbeatStore>();
        services.AddScoped<AuditChainVerifier>();
        services.AddScoped<AuditReader>();
        services.AddScoped<ExposureQuery>();
        services.AddScoped<LedgerStore>();
        services.AddScoped<IAccountLedger>(sp => sp.GetRequiredService<LedgerStore>());
        services.AddScoped<IOrderIntentStore>(sp => sp.GetRequiredService<LedgerStore>());
        services.AddScoped<IHoldingsReader>(sp => sp.GetRequiredService<LedgerStore>());
        services.AddScoped<IPositionStore, PositionStore>();
        services.AddScoped<IDailyEquityStore, DailyEquityStore>();
        services.AddScoped<IJobRunLog, JobRunLog>();
        services.AddScoped<IFeedStatusStore, FeedStatusStore>();
        services.AddScoped<ProcessedUpdatesPruner>();
        services.AddScoped<AdminRecipients>();
        services.AddScoped<IFollowStore, FollowStore>();
        services.AddScoped<ICopyLeaderStore, CopyLeaderStore>();
        services.AddScoped<ILeaderTradeInbox, LeaderTradeInbox>();
        return services;
    }

    public static void Configure(DbContextOptionsBuilder builder, DatabaseOptions options, ILoggerFactory? loggers = null)
    {
        var connectionString = options.EffectiveConnectionString;
        switch (options.Provider)
        {
            case DatabaseProvider.Postgres:
                builder.UseNpgsql(WithPoolDefaults(connectionString));
                break;
            case DatabaseProvider.Sqlite:
                builder.UseSqlite(connectionString);
                if (options.SqliteWriterQueueTimeout > TimeSpan.Zero)
                {
                    builder.AddInterceptors(new SqliteWriteGate(SqliteWriteGates.Shared, options.SqliteWriterQueueTimeout, loggers?.CreateLogger<SqliteWriteGate>()));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown database provider.");
        }

        // The migrations are hand-written and carry no model snapshot, so EF cannot diff the model against
        // them; the schema round-trip tests on both providers do that job instead.
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }

    /// <summary>
    /// Applies the bot's two pool defaults unless the connection string chooses for itself:
    /// <list type="bullet">
    /// <item>Automatic preparation (<c>Max Auto Prepare</c>): the bot runs the same few dozen statements for every
    /// update, and a prepared one skips PostgreSQL's parse and plan each time.</item>
    /// <item>No session reset when a connection goes back to the pool (<c>No Reset On Close</c>): EF Core returns the
    /// connection after every statement outside a transaction, and with prepared statements Npgsql's reset is seven
    /// statements (it keeps the prepared ones), run on each reuse: about ten resets, seventy statements, per update.
    /// Skipping it cut PostgreSQL's CPU per DRY open from 6.5 to 3.6 ms (docs/benchmarks.md, run 5). The bot keeps no
    /// session state on pooled connections: no SET, temporary table, LISTEN or session lock (the migration lock
    /// has an unpooled connection of its own), and Npgsql still rolls back a transaction left open on close.</item>
    /// </list>
    /// </summary>
    public static string WithPoolDefaults(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var chosen = given.Keys.Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!chosen.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        if (!chosen.Contains("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    /// <summary>Room for every hot statement of the trade path, the handlers and the background services.</summary>
    public const int DefaultMaxAutoPrepare = 128;
}
