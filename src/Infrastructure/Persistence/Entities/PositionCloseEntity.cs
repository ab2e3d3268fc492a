using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Entities;

/// <summary>One settled close (full or partial); the source of /pnl and /history. Money in micro-USDC.</summary>
public sealed class PositionCloseEntity
{
    public IntentId IntentId { get; set; }

    public PositionId PositionId { get; set; }

    public UserId UserId { get; set; }

    public string Pair { get; set; } = "";

    public Side Side { get; set; }

    public CloseReason Reason { get; set; }

    public decimal Fraction { get; set; }

    public long ClosedCollateralMicros { get; set; }

    public decimal Leverage { get; set; }

    public decimal EntryPrice { get; set; }

    public decimal ExitPrice { get; set; }

    public long GrossPnlMicros { get; set; }

    /// <summary>Close fee + rollover + the closed part's share of the open fee.</summary>
    public long FeesMicros { get; set; }

    public long PayoutMicros { get; set; }

    public long RealizedPnlMicros { get; set; }

    public DateTimeOffset ClosedAt { get; set; }
}

public sealed class PositionCloseConfiguration : IEntityTypeConfiguration<PositionCloseEntity>
{
    public void Configure(EntityTypeBuilder<PositionCloseEntity> builder)
    {
        var close = builder;
        close.ToTable("position_closes");
        close.HasKey(c => c.IntentId).HasName("pk_position_closes");
        close.Property(c => c.IntentId).HasColumnName("intent_id").HasConversion(id => id.Value, value => new IntentId(value)).ValueGeneratedNever();
        close.Property(c => c.PositionId).HasColumnName("position_id").HasConversion(id => id.Value, value => new PositionId(value));
        close.Property(c => c.UserId).HasColumnName("user_id").HasConversion(id => id.Value, value => new UserId(value));
        close.Property(c => c.Pair).HasColumnName("pair").HasMaxLength(24).IsRequired();
        close.Property(c => c.Side).HasColumnName("side").HasConversion<string>().HasMaxLength(8);
        close.Property(c => c.Reason).HasColumnName("reason").HasConversion<string>().HasMaxLength(16);
        close.Property(c => c.Fraction).HasColumnName("fraction");
        close.Property(c => c.ClosedCollateralMicros).HasColumnName("closed_collateral_micros");
        close.Property(c => c.Leverage).HasColumnName("leverage");
        close.Property(c => c.EntryPrice).HasColumnName("entry_price");
        close.Property(c => c.ExitPrice).HasColumnName("exit_price");
        close.Property(c => c.GrossPnlMicros).HasColumnName("gross_pnl_micros");
        close.Property(c => c.FeesMicros).HasColumnName("fees_micros");
        close.Property(c => c.PayoutMicros).HasColumnName("payout_micros");
        close.Property(c => c.RealizedPnlMicros).HasColumnName("realized_pnl_micros");
        close.Property(c => c.ClosedAt).HasColumnName("closed_at");
        close.HasIndex(c => new { c.UserId, c.ClosedAt }).HasDatabaseName("ix_position_closes_user_closed_at");
    }
}
