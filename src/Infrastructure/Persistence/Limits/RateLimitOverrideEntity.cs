using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Limits;

/// <summary>One admin override of one user's limit; the row's absence means "the configured default".</summary>
public sealed class RateLimitOverrideEntity
{
    public UserId UserId { get; set; }

    /// <summary>The limit's code (opens, trades, volume, messages, copy).</summary>
    public string Limit { get; set; } = "";

    public long Value { get; set; }

    public UserId SetBy { get; set; }

    public DateTimeOffset SetAt { get; set; }
}

public sealed class RateLimitOverrideConfiguration : IEntityTypeConfiguration<RateLimitOverrideEntity>
{
    public void Configure(EntityTypeBuilder<RateLimitOverrideEntity> builder)
    {
        builder.ToTable("rate_limit_overrides");
        builder.HasKey(o => new { o.UserId, o.Limit }).HasName("pk_rate_limit_overrides");
        builder.Property(o => o.UserId).HasColumnName("user_id").HasConversion(id => id.Value, value => new UserId(value));
        builder.Property(o => o.Limit).HasColumnName("limit_name").HasMaxLength(16).IsRequired();
        builder.Property(o => o.Value).HasColumnName("value");
        builder.Property(o => o.SetBy).HasColumnName("set_by").HasConversion(id => id.Value, value => new UserId(value));
        builder.Property(o => o.SetAt).HasColumnName("set_at");
    }
}
