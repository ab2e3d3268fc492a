using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Copy;

/// <summary>One follower following one leader, with the follower's rules. <see cref="Pairs"/> is a comma list of base assets, null for all.</summary>
public sealed class FollowEntity
{
    public UserId FollowerId { get; set; }

    public LeaderKind LeaderKind { get; set; }

    public string LeaderKey { get; set; } = "";

    public CopySizeKind SizeKind { get; set; }

    public decimal SizeValue { get; set; }

    public decimal? MaxUsd { get; set; }

    public decimal? MaxLeverage { get; set; }

    public string? Pairs { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public Follow ToDomain() => new(
        FollowerId,
        new LeaderRef(LeaderKind, LeaderKey),
        new FollowSettings(
            new CopySize(SizeKind, SizeValue),
            MaxUsd,
            MaxLeverage,
            Pairs is null ? null : new HashSet<string>(Pairs.Split(',', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal)),
        CreatedAt);
}

public sealed class FollowConfiguration : IEntityTypeConfiguration<FollowEntity>
{
    public void Configure(EntityTypeBuilder<FollowEntity> builder)
    {
        builder.ToTable("copy_follows");
        builder.HasKey(f => new { f.FollowerId, f.LeaderKind, f.LeaderKey }).HasName("pk_copy_follows");
        builder.Property(f => f.FollowerId).HasColumnName("follower_id").HasConversion(id => id.Value, value => new UserId(value));
        builder.Property(f => f.LeaderKind).HasColumnName("leader_kind").HasConversion<string>().HasMaxLength(8);
        builder.Property(f => f.LeaderKey).HasColumnName("leader_key").HasMaxLength(64);
        builder.Property(f => f.SizeKind).HasColumnName("size_kind").HasConversion<string>().HasMaxLength(16);
        builder.Property(f => f.SizeValue).HasColumnName("size_value");
        builder.Property(f => f.MaxUsd).HasColumnName("max_usd");
        builder.Property(f => f.MaxLeverage).HasColumnName("max_leverage");
        builder.Property(f => f.Pairs).HasColumnName("pairs").HasMaxLength(256);
        builder.Property(f => f.CreatedAt).HasColumnName("created_at");
        builder.Property(f => f.UpdatedAt).HasColumnName("updated_at");
        builder.HasIndex(f => new { f.LeaderKind, f.LeaderKey, f.FollowerId }).HasDatabaseName("ix_copy_follows_leader");
    }
}
