using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VantaBot.Trading.Copy;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;

namespace VantaBot.Infrastructure.Persistence.Copy;

public enum LeaderTradeKind
{
    Swap,
    PerpOpen,
    PerpClose,
}

/// <summary>
/// A leader trade as recorded by a watcher, one row per <see cref="SourceKey"/> (unique). <see cref="Id"/> orders
/// the trades; <see cref="FannedOutAt"/> is set once every follower's mirror has been queued.
/// </summary>
public sealed class LeaderTradeEntity
{
    public long Id { get; set; }

    public string SourceKey { get; set; } = "";

    public LeaderKind LeaderKind { get; set; }

    public string LeaderKey { get; set; } = "";

    public LeaderTradeKind Kind { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public DateTimeOffset? FannedOutAt { get; set; }

    /// <summary>Swaps: the chain; perps: null.</summary>
    public string? Chain { get; set; }

    public string? TokenIn { get; set; }

    public string? TokenOut { get; set; }

    public decimal? AmountIn { get; set; }

    public decimal? AmountOut { get; set; }

    public string? TransactionHash { get; set; }

    public long? BlockNumber { get; set; }

    /// <summary>Perps: the leader's position the trade opened or closed.</summary>
    public Guid? LeaderPositionId { get; set; }

    public string? Pair { get; set; }

    public Side? Side { get; set; }

    public decimal? Collateral { get; set; }

    public decimal? Leverage { get; set; }

    public decimal? Fraction { get; set; }

    public static LeaderTradeEntity From(LeaderTrade trade, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(trade);
        var entity = new LeaderTradeEntity
        {
            SourceKey = trade.SourceKey,
            LeaderKind = trade.Leader.Kind,
            LeaderKey = trade.Leader.Key,
            OccurredAt = trade.OccurredAt,
            RecordedAt = now,
        };
        switch (trade)
        {
            case LeaderTrade.Swap swap:
                entity.Kind = LeaderTradeKind.Swap;
                entity.Chain = swap.Chain;
                entity.TokenIn = swap.TokenIn;
                entity.TokenOut = swap.TokenOut;
                entity.AmountIn = swap.AmountIn;
                entity.AmountOut = swap.AmountOut;
                entity.TransactionHash = swap.TransactionHash;
                entity.BlockNumber = swap.BlockNumber;
                break;
            case LeaderTrade.PerpOpen open:
                entity.Kind = LeaderTradeKind.PerpOpen;
                entity.LeaderPositionId = open.LeaderPosition.Value;
                entity.Pair = open.Pair.ToString();
                entity.Side = open.Side;
                entity.Collateral = open.Collateral;
                entity.Leverage = open.Leverage;
                break;
            case LeaderTrade.PerpClose close:
                entity.Kind = LeaderTradeKind.PerpClose;
                entity.LeaderPositionId = close.LeaderPosition.Value;
                entity.Pair = close.Pair.ToString();
                entity.Fraction = close.Fraction;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(trade), trade.GetType().Name, "Unknown leader trade.");
        }

        return entity;
    }

    public LeaderTrade ToDomain()
    {
        var leader = new LeaderRef(LeaderKind, LeaderKey);
        return Kind switch
        {
            LeaderTradeKind.Swap => new LeaderTrade.Swap(
                SourceKey, leader, OccurredAt, Chain!, TokenIn!, TokenOut!, AmountIn!.Value, AmountOut!.Value, TransactionHash!, BlockNumber!.Value),
            LeaderTradeKind.PerpOpen => new LeaderTrade.PerpOpen(
                SourceKey, leader, OccurredAt, new PositionId(LeaderPositionId!.Value), ParsePair(Pair!), Side!.Value, Collateral!.Value, Leverage!.Value),
            LeaderTradeKind.PerpClose => new LeaderTrade.PerpClose(
                SourceKey, leader, OccurredAt, new PositionId(LeaderPositionId!.Value), ParsePair(Pair!), Fraction!.Value),
            _ => throw new InvalidOperationException($"Unknown leader trade kind {Kind}."),
        };
    }

    private static Pair ParsePair(string text) =>
        VantaBot.Trading.Markets.Pair.TryParse(text, out var pair) ? pair : throw new InvalidOperationException($"Stored pair '{text}' does not parse.");
}

public sealed class LeaderTradeConfiguration : IEntityTypeConfiguration<LeaderTradeEntity>
{
    public void Configure(EntityTypeBuilder<LeaderTradeEntity> builder)
    {
        builder.ToTable("copy_leader_trades");
        builder.HasKey(t => t.Id).HasName("pk_copy_leader_trades");
        builder.Property(t => t.Id).HasColumnName("id").ValueGeneratedOnAdd();
        builder.Property(t => t.SourceKey).HasColumnName("source_key").HasMaxLength(160).IsRequired();
        builder.Property(t => t.LeaderKind).HasColumnName("leader_kind").HasConversion<string>().HasMaxLength(8);
        builder.Property(t => t.LeaderKey).HasColumnName("leader_key").HasMaxLength(64).IsRequired();
        builder.Property(t => t.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.OccurredAt).HasColumnName("occurred_at");
        builder.Property(t => t.RecordedAt).HasColumnName("recorded_at");
        builder.Property(t => t.FannedOutAt).HasColumnName("fanned_out_at");
        builder.Property(t => t.Chain).HasColumnName("chain").HasMaxLength(32);
        builder.Property(t => t.TokenIn).HasColumnName("token_in").HasMaxLength(16);
        builder.Property(t => t.TokenOut).HasColumnName("token_out").HasMaxLength(16);
        builder.Property(t => t.AmountIn).HasColumnName("amount_in");
        builder.Property(t => t.AmountOut).HasColumnName("amount_out");
        builder.Property(t => t.TransactionHash).HasColumnName("transaction_hash").HasMaxLength(66);
        builder.Property(t => t.BlockNumber).HasColumnName("block_number");
        builder.Property(t => t.LeaderPositionId).HasColumnName("leader_position_id");
        builder.Property(t => t.Pair).HasColumnName("pair").HasMaxLength(24);
        builder.Property(t => t.Side).HasColumnName("side").HasConversion<string>().HasMaxLength(8);
        builder.Property(t => t.Collateral).HasColumnName("collateral");
        builder.Property(t => t.Leverage).HasColumnName("leverage");
        builder.Property(t => t.Fraction).HasColumnName("fraction");
        builder.HasIndex(t => t.SourceKey).IsUnique().HasDatabaseName("ux_copy_leader_trades_source_key");
        builder.HasIndex(t => t.FannedOutAt).HasDatabaseName("ix_copy_leader_trades_fanned_out_at");
        builder.HasIndex(t => new { t.LeaderKind, t.LeaderKey, t.Id }).HasDatabaseName("ix_copy_leader_trades_leader");

        // Added with copy_mirrors (20261203020000): a leader's close finds the captured open of its position.
        builder.HasIndex(t => t.LeaderPositionId).HasDatabaseName("ix_copy_leader_trades_leader_position");
    }
}
