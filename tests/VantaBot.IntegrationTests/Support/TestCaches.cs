using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Caching;

namespace VantaBot.IntegrationTests.Support;

/// <summary>Caches for stores a test builds by hand: a fresh one per store, so each behaves as its own instance.</summary>
internal static class TestCaches
{
    /// <summary>Roles and overrides read from the database every time (TTL zero); day starts kept as in production.</summary>
    public static HotRowCache Uncached(TimeProvider? time = null) =>
        new(Options.Create(new DatabaseOptions { ReadCacheTtl = TimeSpan.Zero }), time ?? TimeProvider.System);
}
