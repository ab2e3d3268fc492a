using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace VantaBot.Infrastructure.Persistence.EvmTransactions;

/// <summary>
/// One nonce of one (chain, from) and what it is for. Addresses are lower-case 0x hex; the state is the
/// <c>EvmTxState</c> name. Fees and values live on the attempts (as decimal text: they are uint256 on chain).
/// </summary>
public sealed class EvmTransactionEntity
{
    public Guid Id { get; set; }

    public string Chain { get; set; } = "";

    public Guid WalletId { get; set; }

    public string FromAddress { get; set; } = "";

    public long Nonce { get; set; }

    public string Purpose { get; set; } = "";

    public Guid? IntentId { get; set; }

    public string State { get; set; } = "";

    /// <summary>The attempt that was mined (Succeeded/Reverted).</summary>
    public string? MinedHash { get; set; }

    /// <summary>Why it ended without success: the revert reason, or why it was dropped.</summary>
    public string? Detail { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One signed attempt of a transaction: the exact bytes broadcast, kept so a restart can re-broadcast them.</summary>
public sealed class EvmTransactionAttemptEntity
{
    public long Id { get; set; }

    public Guid TransactionId { get; set; }

    public string Hash { get; set; } = "";

    public byte[] RawTransaction { get; set; } = [];

    public string MaxFeePerGas { get; set; } = "0";

    public string MaxPriorityFeePerGas { get; set; } = "0";

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// The next nonce to hand out for (chain, address). Upserted as the allocation's first statement: PostgreSQL locks
/// the row and SQLite takes its write lock, so two bot instances never hand out the same nonce.
/// </summary>
public sealed class EvmNonceEntity
{
    public string Chain { get; set; } = "";

    public string Address { get; set; } = "";

    public long NextNonce { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class EvmTransactionConfiguration : IEntityTypeConfiguration<EvmTransactionEntity>
{
    public void Configure(EntityTypeBuilder<EvmTransactionEntity> builder)
    {
        var tx = builder;
        tx.ToTable("evm_transactions");
        tx.HasKey(t => t.Id).HasName("pk_evm_transactions");
        tx.Property(t => t.Id).HasColumnName("id").ValueGeneratedNever();
        tx.Property(t => t.Chain).HasColumnName("chain").HasMaxLength(32).IsRequired();
        tx.Property(t => t.WalletId).HasColumnName("wallet_id");
        tx.Property(t => t.FromAddress).HasColumnName("from_address").HasMaxLength(42).IsRequired();
        tx.Property(t => t.Nonce).HasColumnName("nonce");
        tx.Property(t => t.Purpose).HasColumnName("purpose").HasMaxLength(64).IsRequired();
        tx.Property(t => t.IntentId).HasColumnName("intent_id");
        tx.Property(t => t.State).HasColumnName("state").HasMaxLength(16).IsRequired();
        tx.Property(t => t.MinedHash).HasColumnName("mined_hash").HasMaxLength(66);
        tx.Property(t => t.Detail).HasColumnName("detail").HasMaxLength(512);
        tx.Property(t => t.CreatedAt).HasColumnName("created_at");
        tx.Property(t => t.UpdatedAt).HasColumnName("updated_at");
        tx.HasIndex(t => new { t.Chain, t.State }).HasDatabaseName("ix_evm_transactions_chain_state");
        tx.HasIndex(t => new { t.Chain, t.FromAddress, t.Nonce }).HasDatabaseName("ix_evm_transactions_chain_from_nonce");
        tx.HasIndex(t => t.IntentId).HasDatabaseName("ix_evm_transactions_intent_id");
    }
}

public sealed class EvmTransactionAttemptConfiguration : IEntityTypeConfiguration<EvmTransactionAttemptEntity>
{
    public void Configure(EntityTypeBuilder<EvmTransactionAttemptEntity> builder)
    {
        var attempt = builder;
        attempt.ToTable("evm_transaction_attempts");
        attempt.HasKey(a => a.Id).HasName("pk_evm_transaction_attempts");
        attempt.Property(a => a.Id).HasColumnName("id").ValueGeneratedOnAdd();
        attempt.Property(a => a.TransactionId).HasColumnName("transaction_id");
        attempt.Property(a => a.Hash).HasColumnName("hash").HasMaxLength(66).IsRequired();
        attempt.Property(a => a.RawTransaction).HasColumnName("raw_transaction").IsRequired();
        attempt.Property(a => a.MaxFeePerGas).HasColumnName("max_fee_per_gas").HasMaxLength(80).IsRequired();
        attempt.Property(a => a.MaxPriorityFeePerGas).HasColumnName("max_priority_fee_per_gas").HasMaxLength(80).IsRequired();
        attempt.Property(a => a.CreatedAt).HasColumnName("created_at");
        // Unique per transaction, not globally: a transaction refused for good (Dropped) gives its nonce back, and an
        // identical request re-signed with that nonce and the same fees is byte for byte the same (RFC 6979).
        attempt.HasIndex(a => new { a.TransactionId, a.Hash }).IsUnique().HasDatabaseName("ux_evm_transaction_attempts_transaction_hash");
        attempt.HasOne<EvmTransactionEntity>().WithMany().HasForeignKey(a => a.TransactionId).HasConstraintName("fk_evm_transaction_attempts_transaction");
    }
}

public sealed class EvmNonceConfiguration : IEntityTypeConfiguration<EvmNonceEntity>
{
    public void Configure(EntityTypeBuilder<EvmNonceEntity> builder)
    {
        var nonce = builder;
        nonce.ToTable("evm_nonces");
        nonce.HasKey(n => new { n.Chain, n.Address }).HasName("pk_evm_nonces");
        nonce.Property(n => n.Chain).HasColumnName("chain").HasMaxLength(32);
        nonce.Property(n => n.Address).HasColumnName("address").HasMaxLength(42);
        nonce.Property(n => n.NextNonce).HasColumnName("next_nonce");
        nonce.Property(n => n.UpdatedAt).HasColumnName("updated_at");
    }
}
