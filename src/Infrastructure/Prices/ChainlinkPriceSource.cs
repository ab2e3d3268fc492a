using System.Collections.Concurrent;
using System.Numerics;
using VantaBot.Infrastructure.Evm.Abi;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;

namespace VantaBot.Infrastructure.Prices;

/// <summary>
/// Chainlink price feeds read on chain: <c>latestRoundData()</c> of each pair's aggregator through the chain's RPC
/// client (which brings endpoint failover and breakers). An aggregator publishes a new round only on a deviation
/// (0.5 % on ETH/USD) or a heartbeat (1 h), so its answer is the oracle's current value as of the block read, not a
/// trade at <c>updatedAt</c>: the quote is dated at the read. A round older than <see cref="ChainlinkOptions.MaxRoundAge"/>
/// (the heartbeat plus a margin: the oracle stopped), a round answered in an earlier round (carried over) or a
/// non-positive answer is refused as an error, which the feed's health shows.
/// </summary>
public sealed class ChainlinkPriceSource(IEvmRpcClient rpc, ChainlinkOptions options, IReadOnlyDictionary<Pair, EvmAddress> feeds, TimeProvider time)
    : IPriceSource
{
    public const string SourceName = "chainlink";

    private static readonly AbiFunction LatestRoundData = AbiFunction.Parse("latestRoundData() returns (uint80,int256,uint256,uint256,uint80)");
    private static readonly AbiFunction Decimals = AbiFunction.Parse("decimals() returns (uint8)");

    private readonly ConcurrentDictionary<EvmAddress, int> _decimals = new();

    public string Name => SourceName;

    public bool IsSimulated => false;

    public IReadOnlyCollection<Pair> SupportedPairs => feeds.Keys.ToArray();

    public async Task<PriceQuote?> GetQuoteAsync(Pair pair, CancellationToken cancellationToken)
    {
        if (!feeds.TryGetValue(pair, out var aggregator))
        {
            return null;
        }

        object?[] round;
        int decimals;
        try
        {
            decimals = await DecimalsAsync(aggregator, cancellationToken);
            round = LatestRoundData.DecodeOutput(await rpc.CallAsync(new EvmCallRequest(aggregator, LatestRoundData.EncodeCall()), BlockTag.Latest, cancellationToken));
        }
        catch (Exception ex) when (ex is EvmRpcException or EvmRpcUnavailableException or AbiDecodingException or HttpRequestException or TimeoutException)
        {
            throw new PriceSourceException($"{Name}: {pair} aggregator {aggregator} could not be read ({ex.Message})", isTransient: ex is not AbiDecodingException);
        }

        var (roundId, answer, updatedAt, answeredInRound) = ((BigInteger)round[0]!, (BigInteger)round[1]!, (BigInteger)round[3]!, (BigInteger)round[4]!);
        if (answer.Sign <= 0)
        {
            throw new PriceSourceException($"{Name}: {pair} answer {answer} is not a price");
        }

        if (answeredInRound < roundId)
        {
            throw new PriceSourceException($"{Name}: {pair} round {roundId} carries an answer from round {answeredInRound}");
        }

        var now = time.GetUtcNow();
        var age = now - DateTimeOffset.FromUnixTimeSeconds((long)BigInteger.Min(updatedAt, long.MaxValue / 1000));
        if (age > options.MaxRoundAge)
        {
            throw new PriceSourceException($"{Name}: {pair} last round is {age.TotalMinutes:0} min old (limit {options.MaxRoundAge.TotalMinutes:0} min): the oracle is not updating");
        }

        return new PriceQuote(pair, Scale(answer, decimals), Name, now, IsSimulated: false);
    }

    private async Task<int> DecimalsAsync(EvmAddress aggregator, CancellationToken cancellationToken)
    {
        if (_decimals.TryGetValue(aggregator, out var known))
        {
            return known;
        }

        var output = Decimals.DecodeOutput(await rpc.CallAsync(new EvmCallRequest(aggregator, Decimals.EncodeCall()), BlockTag.Latest, cancellationToken));
        var decimals = (int)(BigInteger)output[0]!;
        if (decimals > 27)
        {
            throw new PriceSourceException($"{Name}: aggregator {aggregator} reports {decimals} decimals, more than a price can hold");
        }

        return _decimals[aggregator] = decimals;
    }

    private static decimal Scale(BigInteger answer, int decimals)
    {
        if (answer > new BigInteger(decimal.MaxValue))
        {
            throw new PriceSourceException($"{SourceName}: answer {answer} is out of range");
        }

        var value = (decimal)answer;
        for (var i = 0; i < decimals; i++)
        {
            value /= 10m;
        }

        return value;
    }
}

/// <summary>Chainlink feeds (<c>Prices__Chainlink__…</c>): the chain to read and the aggregator of each pair's base symbol.</summary>
public sealed class ChainlinkOptions
{
    /// <summary>The name of a chain configured under <c>Chains__&lt;name&gt;__…</c>.</summary>
    public string Chain { get; set; } = "";

    /// <summary>Aggregator address per base symbol, e.g. <c>Prices__Chainlink__Feeds__ETH=0x…</c>.</summary>
    public Dictionary<string, string> Feeds { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A round older than this means the oracle stopped: the ETH/USD heartbeat is 1 h.</summary>
    public TimeSpan MaxRoundAge { get; set; } = TimeSpan.FromMinutes(75);
}
