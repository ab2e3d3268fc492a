using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Entities;

/// <summary>A user's equity at the start of one UTC day; the primary key makes it once per (user, day).</summary>
public sealed class DailyEquitySnapshotEntity
{
    public UserId UserId { get; set; }

    public DateOnly Day { get; set; }

    public decimal Equity { get; set; }

    public DateTimeOffset TakenAt { get; set; }
}

public sealed class DailyEquitySnapshotConfiguration : IEntityTypeConfiguration<DailyEquitySnapshotEntity>
{
    public void Configure(EntityTypeBuilder<DailyEquitySnapshotEntity> builder)
    {
        builder.ToTable("daily_equity_snapshots");
        builder.HasKey(s => new { s.UserId, s.Day }).HasName("pk_daily_equity_snapshots");
        builder.Property(s => s.UserId).HasColumnName("user_id").HasConversion(id => id.Value, value => new UserId(value)).ValueGeneratedNever();
        builder.Property(s => s.Day).HasColumnName("day");
        builder.Property(s => s.Equity).HasColumnName("equity");
        builder.Property(s => s.TakenAt).HasColumnName("taken_at");
    }
}
