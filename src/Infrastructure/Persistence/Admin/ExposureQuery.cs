using Microsoft.EntityFrameworkCore;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.Trading.Ledger;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence;

/// <summary>Open notional per user and pair: the quantity <c>Risk__MaxPositionUsd</c> caps.</summary>
public sealed record PairExposure(UserId User, string Pair, decimal NotionalUsd, int Positions);

public sealed class ExposureQuery(VantaBotDbContext db)
{
    public async Task<IReadOnlyList<PairExposure>> OpenExposuresAsync(CancellationToken cancellationToken)
    {
        // Summed here: SQLite cannot aggregate decimals in SQL, and open positions are few compared with rows elsewhere.
        var open = await db.Set<PositionEntity>().AsNoTracking()
            .Where(p => p.Status == PositionStatus.Open)
            .Select(p => new { p.UserId, p.Pair, p.CollateralMicros, p.Leverage })
            .ToListAsync(cancellationToken);
        return open
            .GroupBy(p => (p.UserId, p.Pair))
            .Select(g => new PairExposure(g.Key.UserId, g.Key.Pair, g.Sum(p => Usdc.FromMicros(p.CollateralMicros) * p.Leverage), g.Count()))
            .OrderByDescending(e => e.NotionalUsd)
            .ToArray();
    }
}
