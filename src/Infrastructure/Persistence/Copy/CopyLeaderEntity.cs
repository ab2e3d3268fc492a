using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Copy;

/// <summary>A bot trader's <c>/leader on|off</c>. The row stays when they opt out, so /leaders can tell "was a leader".</summary>
public sealed class CopyLeaderEntity
{
    public UserId UserId { get; set; }

    public bool Enabled { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class CopyLeaderConfiguration : IEntityTypeConfiguration<CopyLeaderEntity>
{
    public void Configure(EntityTypeBuilder<CopyLeaderEntity> builder)
    {
        builder.ToTable("copy_leaders");
        builder.HasKey(l => l.UserId).HasName("pk_copy_leaders");
        builder.Property(l => l.UserId).HasColumnName("user_id").HasConversion(id => id.Value, value => new UserId(value)).ValueGeneratedNever();
        builder.Property(l => l.Enabled).HasColumnName("enabled");
        builder.Property(l => l.UpdatedAt).HasColumnName("updated_at");
    }
}
