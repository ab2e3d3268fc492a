using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VantaBot.Trading.Copy.Mirroring;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Copy;

/// <summary>
/// One follower's copy of one leader trade (unique per trade and follower, so a fan-out run twice queues nothing
/// twice). <see cref="ClaimedUntil"/> is a worker's lease: a crashed worker's mirror is claimed again once it ends.
/// <see cref="FollowerPositionId"/> is the follower's position a perps open produced, for the leader's later closes.
/// </summary>
public sealed class MirrorEntity
{
    public long Id { get; set; }

    public long LeaderTradeId { get; set; }

    public UserId FollowerId { get; set; }

    public MirrorState State { get; set; }

    public string? Reason { get; set; }

    public Guid? FollowerPositionId { get; set; }

    public string IdempotencyKey { get; set; } = "";

    public DateTimeOffset? ClaimedUntil { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class MirrorConfiguration : IEntityTypeConfiguration<MirrorEntity>
{
    public void Configure(EntityTypeBuilder<MirrorEntity> builder)
    {
        builder.ToTable("copy_mirrors");
        builder.HasKey(m => m.Id).HasName("pk_copy_mirrors");
        builder.Property(m => m.Id).HasColumnName("id").ValueGeneratedOnAdd();
        builder.Property(m => m.LeaderTradeId).HasColumnName("leader_trade_id");
        builder.Property(m => m.FollowerId).HasColumnName("follower_id").HasConversion(id => id.Value, value => new UserId(value));
        builder.Property(m => m.State).HasColumnName("state").HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.Reason).HasColumnName("reason").HasMaxLength(512);
        builder.Property(m => m.FollowerPositionId).HasColumnName("follower_position_id");
        builder.Property(m => m.IdempotencyKey).HasColumnName("idempotency_key").HasMaxLength(64).IsRequired();
        builder.Property(m => m.ClaimedUntil).HasColumnName("claimed_until");
        builder.Property(m => m.Attempts).HasColumnName("attempts");
        builder.Property(m => m.CreatedAt).HasColumnName("created_at");
        builder.Property(m => m.UpdatedAt).HasColumnName("updated_at");
        builder.HasIndex(m => new { m.LeaderTradeId, m.FollowerId }).IsUnique().HasDatabaseName("ux_copy_mirrors_trade_follower");
        builder.HasIndex(m => new { m.State, m.Id }).HasDatabaseName("ix_copy_mirrors_state");
    }
}
