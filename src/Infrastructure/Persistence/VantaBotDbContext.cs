using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence;

/// <summary>
/// One model for SQLite and PostgreSQL. The schema is created by the hand-written migrations in
/// <c>Migrations/</c> (the EF design-time package does not restore here), so every table, column and index
/// configured here must match them; the migration round-trip tests check that on both providers.
/// </summary>
public sealed class VantaBotDbContext(DbContextOptions<VantaBotDbContext> options) : DbContext(options)
{
    public DbSet<UserEntity> Users => Set<UserEntity>();

    public DbSet<ProcessedUpdateEntity> ProcessedUpdates => Set<ProcessedUpdateEntity>();

    public DbSet<AuditLogEntity> AuditLog => Set<AuditLogEntity>();

    public DbSet<SystemSettingEntity> SystemSettings => Set<SystemSettingEntity>();

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
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTimeOffset, DateTime>(
        value => value.UtcDateTime,
        value => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)));
}
