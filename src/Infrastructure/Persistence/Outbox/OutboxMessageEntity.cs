using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace VantaBot.Infrastructure.Persistence.Outbox;

/// <summary>
/// A notification committed together with the state change it reports (a trade's fill or failure). Delivered at
/// least once by the relay unless the handler's own reply delivered it first; <see cref="Key"/> is unique, so one
/// outcome is never queued twice.
/// </summary>
public sealed class OutboxMessageEntity
{
    public long Id { get; set; }

    public string Key { get; set; } = "";

    public long ChatId { get; set; }

    public string Text { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>The relay does not look at the row before this (grace for the handler's reply, then backoff).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    public string? LastError { get; set; }
}

public sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessageEntity>
{
    public void Configure(EntityTypeBuilder<OutboxMessageEntity> builder)
    {
        builder.ToTable("outbox_messages");
        builder.HasKey(m => m.Id).HasName("pk_outbox_messages");
        builder.Property(m => m.Id).HasColumnName("id").ValueGeneratedOnAdd();
        builder.Property(m => m.Key).HasColumnName("dedupe_key").HasMaxLength(160).IsRequired();
        builder.Property(m => m.ChatId).HasColumnName("chat_id");
        builder.Property(m => m.Text).HasColumnName("text").HasMaxLength(4096).IsRequired();
        builder.Property(m => m.CreatedAt).HasColumnName("created_at");
        builder.Property(m => m.DeliveredAt).HasColumnName("delivered_at");
        builder.Property(m => m.Attempts).HasColumnName("attempts");
        builder.Property(m => m.NextAttemptAt).HasColumnName("next_attempt_at");
        builder.Property(m => m.LastError).HasColumnName("last_error").HasMaxLength(512);
        builder.HasIndex(m => m.Key).IsUnique().HasDatabaseName("ux_outbox_messages_dedupe_key");
        builder.HasIndex(m => new { m.DeliveredAt, m.NextAttemptAt }).HasDatabaseName("ix_outbox_messages_due");
    }
}
