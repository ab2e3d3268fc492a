using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.Evm.Rpc;
using VantaBot.Trading.Gates;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Prices;

namespace VantaBot.Infrastructure.Prices;

public static class PriceSourcesRegistration
{
    /// <summary>Every source name this build can construct, for <c>Prices__Sources</c>.</summary>
    public static readonly IReadOnlyList<string> KnownSources =
        [SimulatedPriceSource.SourceName, PythHermesPriceSource.SourceName, CoinbasePriceSource.SourceName, BinancePriceSource.SourceName, ChainlinkPriceSource.SourceName];

    /// <summary>
    /// The sources named in <c>Prices__Sources</c> (unknown names are left to the options validator, which stops
    /// start-up naming them), the aggregating feed, its health record and probe, and the close-only trade gate.
    /// </summary>
    public static IServiceCollection AddVantaBotPrices(this IServiceCollection services, IConfiguration config)
    {
        var section = config.GetSection(PriceFeedOptions.Section);
        var feed = section.Get<PriceFeedOptions>() ?? new PriceFeedOptions();
        services.AddOptions<PriceSourcesOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PriceSourcesOptions>, PriceSourcesOptionsValidator>();

        services.AddSingleton<PriceSourceHealth>();
        services.AddSingleton<PriceFeed>();
        services.AddSingleton<IPriceFeed>(sp => sp.GetRequiredService<PriceFeed>());
        services.AddSingleton<PriceFeedProbe>();
        services.AddSingleton<ITradeGate, CloseOnlyGate>();

        var pairs = feed.PairSymbols.Select(symbol => Pair.TryParse(symbol, out var pair) ? pair : null).OfType<Pair>().ToArray();
        foreach (var name in feed.SourceNames)
        {
            switch (name)
            {
                case SimulatedPriceSource.SourceName:
                    services.AddSingleton<IPriceSource>(sp => new SimulatedPriceSource(sp.GetRequiredService<TimeProvider>()));
                    break;
                case PythHermesPriceSource.SourceName:
                    AddClient(services, name, o => o.Pyth);
                    services.AddSingleton<IPriceSource>(sp =>
                    {
                        var options = sp.GetRequiredService<IOptions<PriceSourcesOptions>>().Value;
                        var ids = pairs.Where(p => options.PythFeedIds.ContainsKey(p.Base)).ToDictionary(p => p, p => options.PythFeedIds[p.Base]);
                        return new PythHermesPriceSource(sp.GetRequiredService<IHttpClientFactory>(), options.Pyth, ids, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PythHermesPriceSource>>());
                    });
                    break;
                case CoinbasePriceSource.SourceName:
                    AddClient(services, name, o => o.Coinbase);
                    services.AddSingleton<IPriceSource>(sp => new CoinbasePriceSource(
                        sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<IOptions<PriceSourcesOptions>>().Value.Coinbase, pairs,
                        sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CoinbasePriceSource>>()));
                    break;
                case BinancePriceSource.SourceName:
                    AddClient(services, name, o => o.Binance);
                    services.AddSingleton<IPriceSource>(sp =>
                    {
                        var options = sp.GetRequiredService<IOptions<PriceSourcesOptions>>().Value;
                        return new BinancePriceSource(
                            sp.GetRequiredService<IHttpClientFactory>(), options.Binance, options.BinanceQuoteAsset.ToUpperInvariant(), pairs,
                            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<BinancePriceSource>>());
                    });
                    break;
                case ChainlinkPriceSource.SourceName:
                    services.AddSingleton<IPriceSource>(sp => Chainlink(sp, pairs));
                    break;
            }
        }

        return services;
    }

    /// <summary>The pairs with an aggregator, read through the configured chain's RPC client.</summary>
    private static ChainlinkPriceSource Chainlink(IServiceProvider sp, IReadOnlyList<Pair> pairs)
    {
        var options = sp.GetRequiredService<IOptions<PriceSourcesOptions>>().Value.Chainlink;
        var rpc = sp.GetService<IEvmRpcClients>()?.Find(options.Chain)
            ?? throw new InvalidOperationException(
                $"Prices__Chainlink__Chain: '{options.Chain}' is not a chain configured under Chains__<name>__… (the chainlink price source reads its aggregators there).");
        var feeds = pairs.Where(p => options.Feeds.ContainsKey(p.Base)).ToDictionary(p => p, p => EvmAddress.Parse(options.Feeds[p.Base]));
        return new ChainlinkPriceSource(rpc, options, feeds, sp.GetRequiredService<TimeProvider>());
    }

    private static void AddClient(IServiceCollection services, string name, Func<PriceSourcesOptions, HttpPriceSourceOptions> select) =>
        services.AddHttpClient(name, (sp, client) =>
        {
            var options = select(sp.GetRequiredService<IOptions<PriceSourcesOptions>>().Value);
            client.BaseAddress = options.BaseUrl.AbsoluteUri.EndsWith('/') ? options.BaseUrl : new Uri(options.BaseUrl.AbsoluteUri + "/");

            // The resilience pipeline owns time limits per attempt; HttpClient's own would cut retries short.
            client.Timeout = Timeout.InfiniteTimeSpan;
        });
}
