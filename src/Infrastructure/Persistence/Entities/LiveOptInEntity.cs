using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Entities;

/// <summary>A user who opted in to LIVE; no row means DRY.</summary>
public sealed class LiveOptInEntity
{
    public UserId UserId { get; set; }

    public DateTimeOffset OptedInAt { get; set; }
}

public sealed class LiveOptInConfiguration : IEntityTypeConfiguration<LiveOptInEntity>
{
    public void Configure(EntityTypeBuilder<LiveOptInEntity> builder)
    {
        builder.ToTable("live_opt_ins");
        builder.HasKey(o => o.UserId).HasName("pk_live_opt_ins");
        builder.Property(o => o.UserId).HasColumnName("user_id").HasConversion(id => id.Value, value => new UserId(value)).ValueGeneratedNever();
        builder.Property(o => o.OptedInAt).HasColumnName("opted_in_at");
    }
}
