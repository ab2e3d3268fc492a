using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VantaBot.Risk;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Swaps;

/// <summary>
/// A write-ahead swap. Raw token amounts are stored as decimal-digit text: they can exceed every numeric type both
/// databases share (uint256), and they are only ever summed in code over a wallet's few unresolved swaps.
/// </summary>
public sealed class SwapIntentEntity
{
    public IntentId Id { get; set; }

    public UserId UserId { get; set; }

    public string IdempotencyKey { get; set; } = "";

    public IntentState State { get; set; }

    public ExecutionMode Mode { get; set; }

    public string Chain { get; set; } = "";

    /// <summary>Lower-case, as the hold lock keys it.</summary>
    public string WalletAddress { get; set; } = "";

    public string TokenInSymbol { get; set; } = "";

    public string TokenInAddress { get; set; } = "";

    public int TokenInDecimals { get; set; }

    public string TokenOutSymbol { get; set; } = "";

    public string TokenOutAddress { get; set; } = "";

    public int TokenOutDecimals { get; set; }

    public string AmountInRaw { get; set; } = "0";

    public string ExpectedOutRaw { get; set; } = "0";

    public string MinimumOutRaw { get; set; } = "0";

    public string Route { get; set; } = "";

    public string? AmountOutRaw { get; set; }

    public string? TransactionHash { get; set; }

    public string? FailureReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class SwapIntentConfiguration : IEntityTypeConfiguration<SwapIntentEntity>
{
    public void Configure(EntityTypeBuilder<SwapIntentEntity> builder)
    {
        var swap = builder;
        swap.ToTable("swap_intents");
        swap.HasKey(s => s.Id).HasName("pk_swap_intents");
        swap.Property(s => s.Id).HasColumnName("id").HasConversion(id => id.Value, value => new IntentId(value)).ValueGeneratedNever();
        swap.Property(s => s.UserId).HasColumnName("user_id").HasConversion(id => id.Value, value => new UserId(value));
        swap.Property(s => s.IdempotencyKey).HasColumnName("idempotency_key").HasMaxLength(128).IsRequired();
        swap.Property(s => s.State).HasColumnName("state").HasConversion<string>().HasMaxLength(16);
        swap.Property(s => s.Mode).HasColumnName("mode").HasConversion<string>().HasMaxLength(8);
        swap.Property(s => s.Chain).HasColumnName("chain").HasMaxLength(32).IsRequired();
        swap.Property(s => s.WalletAddress).HasColumnName("wallet_address").HasMaxLength(64).IsRequired();
        swap.Property(s => s.TokenInSymbol).HasColumnName("token_in_symbol").HasMaxLength(16).IsRequired();
        swap.Property(s => s.TokenInAddress).HasColumnName("token_in_address").HasMaxLength(64).IsRequired();
        swap.Property(s => s.TokenInDecimals).HasColumnName("token_in_decimals");
        swap.Property(s => s.TokenOutSymbol).HasColumnName("token_out_symbol").HasMaxLength(16).IsRequired();
        swap.Property(s => s.TokenOutAddress).HasColumnName("token_out_address").HasMaxLength(64).IsRequired();
        swap.Property(s => s.TokenOutDecimals).HasColumnName("token_out_decimals");
        swap.Property(s => s.AmountInRaw).HasColumnName("amount_in_raw").HasMaxLength(80).IsRequired();
        swap.Property(s => s.ExpectedOutRaw).HasColumnName("expected_out_raw").HasMaxLength(80).IsRequired();
        swap.Property(s => s.MinimumOutRaw).HasColumnName("minimum_out_raw").HasMaxLength(80).IsRequired();
        swap.Property(s => s.Route).HasColumnName("route").HasMaxLength(64).IsRequired();
        swap.Property(s => s.AmountOutRaw).HasColumnName("amount_out_raw").HasMaxLength(80);
        swap.Property(s => s.TransactionHash).HasColumnName("transaction_hash").HasMaxLength(66);
        swap.Property(s => s.FailureReason).HasColumnName("failure_reason").HasMaxLength(512);
        swap.Property(s => s.CreatedAt).HasColumnName("created_at");
        swap.Property(s => s.UpdatedAt).HasColumnName("updated_at");
        swap.HasIndex(s => new { s.UserId, s.IdempotencyKey }).IsUnique().HasDatabaseName("ux_swap_intents_user_key");
        swap.HasIndex(s => new { s.State, s.CreatedAt }).HasDatabaseName("ix_swap_intents_state_created");
        swap.HasIndex(s => new { s.Chain, s.WalletAddress, s.TokenInAddress, s.State }).HasDatabaseName("ix_swap_intents_hold");
    }
}
