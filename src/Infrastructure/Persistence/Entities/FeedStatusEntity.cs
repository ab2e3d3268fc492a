using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace VantaBot.Infrastructure.Persistence.Entities;

/// <summary>The last announced status of a price source or pair, shared by all instances (see IFeedStatusStore).</summary>
public sealed class FeedStatusEntity
{
    public string Subject { get; set; } = "";

    public string Status { get; set; } = "";

    public string Detail { get; set; } = "";

    public DateTimeOffset ChangedAt { get; set; }
}

public sealed class FeedStatusConfiguration : IEntityTypeConfiguration<FeedStatusEntity>
{
    public void Configure(EntityTypeBuilder<FeedStatusEntity> builder)
    {
        builder.ToTable("price_feed_status");
        builder.HasKey(s => s.Subject).HasName("pk_price_feed_status");
        builder.Property(s => s.Subject).HasColumnName("subject").HasMaxLength(64);
        builder.Property(s => s.Status).HasColumnName("status").HasMaxLength(16).IsRequired();
        builder.Property(s => s.Detail).HasColumnName("detail").HasMaxLength(256).IsRequired();
        builder.Property(s => s.ChangedAt).HasColumnName("changed_at");
    }
}
