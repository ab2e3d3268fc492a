using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;

namespace VantaBot.Infrastructure.Prices;

/// <summary>
/// A random walk from realistic starting prices so the bot runs offline in DRY mode. Its quotes are always
/// flagged <see cref="PriceQuote.IsSimulated"/>; configuration refuses it wherever live trading is allowed.
/// The walk advances one step per elapsed second (at most ±0.10% each), whenever it is asked.
/// </summary>
public sealed class SimulatedPriceSource : IPriceSource
{
    public const string SourceName = "simulated";

    private const int MaxStepBasisPoints = 10;
    private const int MaxCatchUpSteps = 3600;

    private static readonly Dictionary<string, decimal> StartingPrices = new(StringComparer.Ordinal)
    {
        ["BTC"] = 95_000m,
        ["ETH"] = 3_400m,
        ["SOL"] = 180m,
        ["ARB"] = 0.85m,
        ["DOGE"] = 0.21m,
        ["LINK"] = 17.5m,
    };

    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Lock _gate = new();
    private readonly Dictionary<Pair, (decimal Price, DateTimeOffset At)> _walk = [];

    public SimulatedPriceSource(TimeProvider time, int? seed = null)
    {
        _time = time;

        // Not security relevant: the walk only has to look like a market.
#pragma warning disable CA5394
        _random = seed is { } s ? new Random(s) : new Random();
#pragma warning restore CA5394
        var now = time.GetUtcNow();
        foreach (var (symbol, price) in StartingPrices)
        {
            _walk[Pair.Usd(symbol)] = (price, now);
        }

        SupportedPairs = _walk.Keys.ToArray();
    }

    public string Name => SourceName;

    public bool IsSimulated => true;

    public IReadOnlyCollection<Pair> SupportedPairs { get; }

    public Task<PriceQuote?> GetQuoteAsync(Pair pair, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_walk.TryGetValue(pair, out var state))
            {
                return Task.FromResult<PriceQuote?>(null);
            }

            var now = _time.GetUtcNow();
            var steps = (int)Math.Min(MaxCatchUpSteps, Math.Max(0, (now - state.At).TotalSeconds));
            var price = state.Price;
            for (var i = 0; i < steps; i++)
            {
#pragma warning disable CA5394
                var basisPoints = _random.Next(-MaxStepBasisPoints, MaxStepBasisPoints + 1);
#pragma warning restore CA5394
                price = Round(price * (1m + (basisPoints / 10_000m)));
            }

            if (steps > 0)
            {
                _walk[pair] = (price, now);
            }

            return Task.FromResult<PriceQuote?>(new PriceQuote(pair, price, SourceName, now, IsSimulated: true));
        }
    }

    // Keep prices at the precision a venue would show: more decimals for cheaper assets.
    private static decimal Round(decimal price) => price switch
    {
        >= 1_000m => Math.Round(price, 2),
        >= 1m => Math.Round(price, 4),
        _ => Math.Round(price, 6),
    };
}
