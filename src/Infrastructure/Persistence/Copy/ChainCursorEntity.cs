using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace VantaBot.Infrastructure.Persistence.Copy;

/// <summary>
/// How far the leader watcher has read one chain: every block up to <see cref="BlockNumber"/> has been scanned and its
/// swaps recorded. <see cref="BlockHash"/> is that block's hash when it was scanned, so a reorganised cursor is noticed.
/// </summary>
public sealed class ChainCursorEntity
{
    public string Chain { get; set; } = "";

    public long BlockNumber { get; set; }

    /// <summary>Lower-case 0x hex.</summary>
    public string BlockHash { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class ChainCursorConfiguration : IEntityTypeConfiguration<ChainCursorEntity>
{
    public void Configure(EntityTypeBuilder<ChainCursorEntity> builder)
    {
        builder.ToTable("copy_chain_cursors");
        builder.HasKey(c => c.Chain).HasName("pk_copy_chain_cursors");
        builder.Property(c => c.Chain).HasColumnName("chain").HasMaxLength(32).ValueGeneratedNever();
        builder.Property(c => c.BlockNumber).HasColumnName("block_number");
        builder.Property(c => c.BlockHash).HasColumnName("block_hash").HasMaxLength(66).IsRequired();
        builder.Property(c => c.UpdatedAt).HasColumnName("updated_at");
    }
}
