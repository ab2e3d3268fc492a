using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence;

/// <summary>
/// One model for SQLite and PostgreSQL. The schema is created by the hand-written migrations in
/// <c>Migrations/</c> (the EF design-time package does not restore here), so every table, column and index
/// configured here must match them; the migration round-trip tests check that on both providers.
/// </summary>
public sealed class VantaBotDbContext : DbContext
{
    public VantaBotDbContext(DbContextOptions<VantaBotDbContext> options)
        : base(options)
    {
        // EF wraps every SaveChanges inside an explicit transaction in a savepoint (SAVEPOINT before, RELEASE after:
        // two extra round trips on PostgreSQL, on the open's hold and fill alike) so that a failed SaveChanges
        // could be retried inside the same transaction. No store does that: each one that catches a failed
        // SaveChanges rolls the whole transaction back, so the savepoints only cost. The pool restores this
        // setting on every lease (EF snapshots the configuration made in the constructor).
        Database.AutoSavepointsEnabled = false;
    }

    public DbSet<UserEntity> Users => Set<UserEntity>();

    public DbSet<ProcessedUpdateEntity> ProcessedUpdates => Set<ProcessedUpdateEntity>();

    public DbSet<AuditLogEntity> AuditLog => Set<AuditLogEntity>();

    public DbSet<SystemSettingEntity> SystemSettings => Set<SystemSettingEntity>();

    public DbSet<AccountEntity> Accounts => Set<AccountEntity>();

    public DbSet<LedgerEntryEntity> LedgerEntries => Set<LedgerEntryEntity>();

    public DbSet<OrderIntentEntity> OrderIntents => Set<OrderIntentEntity>();

    public DbSet<PositionEntity> Positions => Set<PositionEntity>();

    /// <summary>The partial index of open positions (the monitor's queries); the same SQL on both databases.</summary>
    internal const string OpenPositionsFilter = "status = 'Open'";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Stored as UTC DateTime: SQLite then keeps sortable ISO text (it cannot compare DateTimeOffset in SQL)
        // and PostgreSQL a timestamptz.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UserEntity>(user =>
        {
            user.ToTable("users");
            user.HasKey(u => u.Id).HasName("pk_users");
            user.Property(u => u.Id).HasColumnName("telegram_id").HasConversion(id => id.Value, value => new UserId(value)).ValueGeneratedNever();
            user.Property(u => u.DisplayName).HasColumnName("display_name").HasMaxLength(128).IsRequired();
            user.Property(u => u.Role).HasColumnName("role").HasConversion<string>().HasMaxLength(16).IsRequired();
            user.Property(u => u.CreatedAt).HasColumnName("created_at");
        });

        modelBuilder.Entity<ProcessedUpdateEntity>(update =>
        {
            update.ToTable("processed_updates");
            update.HasKey(u => u.UpdateId).HasName("pk_processed_updates");
            update.Property(u => u.UpdateId).HasColumnName("update_id").ValueGeneratedNever();
            update.Property(u => u.Kind).HasColumnName("kind").HasMaxLength(32).IsRequired();
            update.Property(u => u.ReceivedAt).HasColumnName("received_at");
            update.Property(u => u.CompletedAt).HasColumnName("completed_at");
        });

        modelBuilder.Entity<AuditLogEntity>(audit =>
        {
            audit.ToTable("audit_log");
            audit.HasKey(a => a.Id).HasName("pk_audit_log");
            audit.Property(a => a.Id).HasColumnName("id").ValueGeneratedOnAdd();
            audit.Property(a => a.At).HasColumnName("at");
            audit.Property(a => a.ActorId).HasColumnName("actor_id");
            audit.Property(a => a.ActorRole).HasColumnName("actor_role").HasMaxLength(16).IsRequired();
            audit.Property(a => a.Command).HasColumnName("command").HasMaxLength(64).IsRequired();
            audit.Property(a => a.Arguments).HasColumnName("arguments").HasMaxLength(1024).IsRequired();
            audit.Property(a => a.Outcome).HasColumnName("outcome").HasMaxLength(256).IsRequired();
            audit.Property(a => a.TraceId).HasColumnName("trace_id").HasMaxLength(64).IsRequired();
            audit.Property(a => a.PreviousHash).HasColumnName("previous_hash").HasMaxLength(64).IsRequired();
            audit.Property(a => a.Hash).HasColumnName("hash").HasMaxLength(64).IsRequired();
            audit.HasIndex(a => a.ActorId).HasDatabaseName("ix_audit_log_actor_id");
        });

        modelBuilder.Entity<SystemSettingEntity>(setting =>
        {
            setting.ToTable("system_settings");
            setting.HasKey(s => s.Key).HasName("pk_system_settings");
            setting.Property(s => s.Key).HasColumnName("key").HasMaxLength(64);
            setting.Property(s => s.Value).HasColumnName("value").HasMaxLength(1024).IsRequired();
            setting.Property(s => s.UpdatedAt).HasColumnName("updated_at");
        });

        ConfigureTrading(modelBuilder);
    }

    private static void ConfigureTrading(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<AccountEntity>(account =>
        {
            account.ToTable("accounts");
            account.HasKey(a => a.UserId).HasName("pk_accounts");
            account.Property(a => a.UserId).HasColumnName("user_id").HasConversion(UserIdConverter).ValueGeneratedNever();
            account.Property(a => a.BalanceMicros).HasColumnName("balance_micros");
            account.Property(a => a.HeldMicros).HasColumnName("held_micros");
        });

        modelBuilder.Entity<LedgerEntryEntity>(entry =>
        {
            entry.ToTable("ledger_entries");
            entry.HasKey(e => e.Id).HasName("pk_ledger_entries");
            entry.Property(e => e.Id).HasColumnName("id").ValueGeneratedOnAdd();
            entry.Property(e => e.UserId).HasColumnName("user_id").HasConversion(UserIdConverter);
            entry.Property(e => e.Kind).HasColumnName("kind").HasMaxLength(32).IsRequired();
            entry.Property(e => e.AmountMicros).HasColumnName("amount_micros");
            entry.Property(e => e.Reference).HasColumnName("reference").HasMaxLength(128).IsRequired();
            entry.Property(e => e.CreatedAt).HasColumnName("created_at");
            entry.HasIndex(e => new { e.UserId, e.Kind, e.Reference }).IsUnique().HasDatabaseName("ux_ledger_entries_user_kind_reference");
        });

        modelBuilder.Entity<OrderIntentEntity>(intent =>
        {
            intent.ToTable("order_intents");
            intent.HasKey(i => i.Id).HasName("pk_order_intents");
            intent.Property(i => i.Id).HasColumnName("id").HasConversion(IntentIdConverter).ValueGeneratedNever();
            intent.Property(i => i.UserId).HasColumnName("user_id").HasConversion(UserIdConverter);
            intent.Property(i => i.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(16);
            intent.Property(i => i.State).HasColumnName("state").HasConversion<string>().HasMaxLength(16);
            intent.Property(i => i.IdempotencyKey).HasColumnName("idempotency_key").HasMaxLength(128).IsRequired();
            intent.Property(i => i.Pair).HasColumnName("pair").HasMaxLength(24).IsRequired();
            intent.Property(i => i.Side).HasColumnName("side").HasConversion<string>().HasMaxLength(8);
            intent.Property(i => i.Collateral).HasColumnName("collateral");
            intent.Property(i => i.Leverage).HasColumnName("leverage");
            intent.Property(i => i.TakeProfit).HasColumnName("take_profit");
            intent.Property(i => i.StopLoss).HasColumnName("stop_loss");
            intent.Property(i => i.PositionId).HasColumnName("position_id").HasConversion(PositionIdConverter);
            intent.Property(i => i.CloseFraction).HasColumnName("close_fraction");
            intent.Property(i => i.HeldMicros).HasColumnName("held_micros");
            intent.Property(i => i.FailureReason).HasColumnName("failure_reason").HasMaxLength(512);
            intent.Property(i => i.CreatedAt).HasColumnName("created_at");
            intent.Property(i => i.UpdatedAt).HasColumnName("updated_at");
            intent.Property(i => i.StopLossSetByBot).HasColumnName("stop_loss_set_by_bot");
            intent.Property(i => i.CloseReason).HasColumnName("close_reason").HasConversion<string>().HasMaxLength(16);
            intent.HasIndex(i => new { i.UserId, i.IdempotencyKey }).IsUnique().HasDatabaseName("ux_order_intents_user_idempotency_key");
            intent.HasIndex(i => i.State).HasDatabaseName("ix_order_intents_state");
        });

        modelBuilder.Entity<PositionEntity>(position =>
        {
            position.ToTable("positions");
            position.HasKey(p => p.Id).HasName("pk_positions");
            position.Property(p => p.Id).HasColumnName("id").HasConversion(PositionIdConverter).ValueGeneratedNever();
            position.Property(p => p.UserId).HasColumnName("user_id").HasConversion(UserIdConverter);
            position.Property(p => p.OpenIntentId).HasColumnName("open_intent_id").HasConversion(IntentIdConverter);
            position.Property(p => p.Pair).HasColumnName("pair").HasMaxLength(24).IsRequired();
            position.Property(p => p.Side).HasColumnName("side").HasConversion<string>().HasMaxLength(8);
            position.Property(p => p.CollateralMicros).HasColumnName("collateral_micros");
            position.Property(p => p.Leverage).HasColumnName("leverage");
            position.Property(p => p.EntryPrice).HasColumnName("entry_price");
            position.Property(p => p.LiquidationPrice).HasColumnName("liquidation_price");
            position.Property(p => p.TakeProfit).HasColumnName("take_profit");
            position.Property(p => p.StopLoss).HasColumnName("stop_loss");
            position.Property(p => p.StopLossSetByBot).HasColumnName("stop_loss_set_by_bot");
            position.Property(p => p.OpenFeeMicros).HasColumnName("open_fee_micros");
            position.Property(p => p.OpenedAt).HasColumnName("opened_at");
            position.Property(p => p.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(16);
            position.Property(p => p.RealizedPnlMicros).HasColumnName("realized_pnl_micros");
            position.Property(p => p.ClosedAt).HasColumnName("closed_at");
            position.Property(p => p.ClosingIntentId).HasColumnName("closing_intent_id").HasConversion(IntentIdConverter);
            position.HasIndex(p => p.OpenIntentId).IsUnique().HasDatabaseName("ux_positions_open_intent_id");
            position.HasIndex(p => new { p.UserId, p.Status }).HasDatabaseName("ix_positions_user_status");
            position.HasIndex(p => p.Pair).HasFilter(OpenPositionsFilter).HasDatabaseName("ix_positions_open_pair");
        });

        // Later tables each bring their own IEntityTypeConfiguration class next to their entity.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(VantaBotDbContext).Assembly);
    }

    private static readonly ValueConverter<UserId, long> UserIdConverter = new(id => id.Value, value => new UserId(value));

    private static readonly ValueConverter<PositionId, Guid> PositionIdConverter = new(id => id.Value, value => new PositionId(value));

    private static readonly ValueConverter<IntentId, Guid> IntentIdConverter = new(id => id.Value, value => new IntentId(value));

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTimeOffset, DateTime>(
        value => value.UtcDateTime,
        value => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)));
}
