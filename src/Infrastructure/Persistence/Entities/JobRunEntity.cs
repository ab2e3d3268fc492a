using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace VantaBot.Infrastructure.Persistence.Entities;

/// <summary>A once-per-period job that finished its period (e.g. the daily loss reset for 2026-11-22).</summary>
public sealed class JobRunEntity
{
    public string Job { get; set; } = "";

    public string Period { get; set; } = "";

    public string Instance { get; set; } = "";

    public DateTimeOffset RanAt { get; set; }
}

public sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRunEntity>
{
    public void Configure(EntityTypeBuilder<JobRunEntity> builder)
    {
        builder.ToTable("job_runs");
        builder.HasKey(r => new { r.Job, r.Period }).HasName("pk_job_runs");
        builder.Property(r => r.Job).HasColumnName("job").HasMaxLength(64);
        builder.Property(r => r.Period).HasColumnName("period").HasMaxLength(32);
        builder.Property(r => r.Instance).HasColumnName("instance").HasMaxLength(128).IsRequired();
        builder.Property(r => r.RanAt).HasColumnName("ran_at");
    }
}
