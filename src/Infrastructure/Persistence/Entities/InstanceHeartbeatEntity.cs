using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace VantaBot.Infrastructure.Persistence.Entities;

/// <summary>One row per bot process, touched periodically, so /system_status can say which instances are alive.</summary>
public sealed class InstanceHeartbeatEntity
{
    public string InstanceId { get; set; } = "";

    public string Host { get; set; } = "";

    public string Version { get; set; } = "";

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }
}

public sealed class InstanceHeartbeatConfiguration : IEntityTypeConfiguration<InstanceHeartbeatEntity>
{
    public void Configure(EntityTypeBuilder<InstanceHeartbeatEntity> builder)
    {
        builder.ToTable("instance_heartbeats");
        builder.HasKey(h => h.InstanceId).HasName("pk_instance_heartbeats");
        builder.Property(h => h.InstanceId).HasColumnName("instance_id").HasMaxLength(96);
        builder.Property(h => h.Host).HasColumnName("host").HasMaxLength(128).IsRequired();
        builder.Property(h => h.Version).HasColumnName("version").HasMaxLength(64).IsRequired();
        builder.Property(h => h.StartedAt).HasColumnName("started_at");
        builder.Property(h => h.LastSeenAt).HasColumnName("last_seen_at");
        builder.HasIndex(h => h.LastSeenAt).HasDatabaseName("ix_instance_heartbeats_last_seen_at");
    }
}
