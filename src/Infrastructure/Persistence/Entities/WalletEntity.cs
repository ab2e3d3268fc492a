using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Entities;

/// <summary>
/// A custodial wallet and its sealed key: the private key encrypted (AES-256-GCM) under a per-wallet data key,
/// which is itself wrapped by the master key <see cref="MasterKeyId"/>. Only the key vault reads the key columns.
/// </summary>
public sealed class WalletEntity
{
    public Guid Id { get; set; }

    public UserId UserId { get; set; }

    public string ChainFamily { get; set; } = "";

    /// <summary>Lower-case "0x…": the canonical form for the unique index; shown checksummed.</summary>
    public string Address { get; set; } = "";

    public byte[] EncryptedKey { get; set; } = [];

    public byte[] KeyNonce { get; set; } = [];

    public byte[] KeyTag { get; set; } = [];

    public byte[] WrappedDataKey { get; set; } = [];

    public byte[] DataKeyNonce { get; set; } = [];

    public byte[] DataKeyTag { get; set; } = [];

    public string MasterKeyId { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RotatedAt { get; set; }
}

public sealed class WalletConfiguration : IEntityTypeConfiguration<WalletEntity>
{
    public void Configure(EntityTypeBuilder<WalletEntity> builder)
    {
        var wallet = builder;
        wallet.ToTable("wallets");
        wallet.HasKey(w => w.Id).HasName("pk_wallets");
        wallet.Property(w => w.Id).HasColumnName("id").ValueGeneratedNever();
        wallet.Property(w => w.UserId).HasColumnName("user_id").HasConversion(id => id.Value, value => new UserId(value));
        wallet.Property(w => w.ChainFamily).HasColumnName("chain_family").HasMaxLength(8).IsRequired();
        wallet.Property(w => w.Address).HasColumnName("address").HasMaxLength(64).IsRequired();
        wallet.Property(w => w.EncryptedKey).HasColumnName("encrypted_key").IsRequired();
        wallet.Property(w => w.KeyNonce).HasColumnName("key_nonce").IsRequired();
        wallet.Property(w => w.KeyTag).HasColumnName("key_tag").IsRequired();
        wallet.Property(w => w.WrappedDataKey).HasColumnName("wrapped_data_key").IsRequired();
        wallet.Property(w => w.DataKeyNonce).HasColumnName("data_key_nonce").IsRequired();
        wallet.Property(w => w.DataKeyTag).HasColumnName("data_key_tag").IsRequired();
        wallet.Property(w => w.MasterKeyId).HasColumnName("master_key_id").HasMaxLength(64).IsRequired();
        wallet.Property(w => w.CreatedAt).HasColumnName("created_at");
        wallet.Property(w => w.RotatedAt).HasColumnName("rotated_at");
        wallet.HasIndex(w => new { w.UserId, w.ChainFamily }).IsUnique().HasDatabaseName("ux_wallets_user_chain_family");
        wallet.HasIndex(w => w.Address).IsUnique().HasDatabaseName("ux_wallets_address");
        wallet.HasIndex(w => w.MasterKeyId).HasDatabaseName("ix_wallets_master_key_id");
    }
}
