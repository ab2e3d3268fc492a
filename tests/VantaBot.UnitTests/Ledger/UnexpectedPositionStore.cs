using VantaBot.Trading.Ledger;
using VantaBot.Trading.Markets;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.UnitTests.Ledger;

/// <summary>For tests of open-only paths: any call to the position store fails the test, naming the call.</summary>
public sealed class UnexpectedPositionStore : IPositionStore
{
    public Task<Position?> FindAsync(PositionId position, CancellationToken cancellationToken) => throw Unexpected();

    public Task<Position?> FindOpenByShortIdAsync(UserId user, string shortId, CancellationToken cancellationToken) => throw Unexpected();

    public Task<IReadOnlyList<Position>> GetAllOpenAsync(CancellationToken cancellationToken) => throw Unexpected();

    public Task<IReadOnlyList<Pair>> GetOpenPairsAsync(CancellationToken cancellationToken) => throw Unexpected();

    public Task<IReadOnlyList<Position>> GetTriggeredAsync(Pair pair, decimal mark, CancellationToken cancellationToken) => throw Unexpected();

    public Task<PlaceIntentResult> PlaceCloseAsync(OrderIntent intent, CancellationToken cancellationToken) => throw Unexpected();

    public Task<PositionClose> CompleteCloseAsync(IntentId intent, PerpCloseFill fill, CancellationToken cancellationToken) => throw Unexpected();

    public Task<bool> UpdateProtectionAsync(PositionId position, UserId user, decimal? takeProfit, decimal stopLoss, bool stopLossSetByBot, CancellationToken cancellationToken) =>
        throw Unexpected();

    public Task<IReadOnlyList<PositionClose>> GetClosesAsync(UserId user, DateTimeOffset? since, int limit, CancellationToken cancellationToken) => throw Unexpected();

    public Task<CloseSummary> SummarizeClosesAsync(UserId user, DateTimeOffset? since, CancellationToken cancellationToken) => throw Unexpected();

    public Task<IReadOnlyList<OpenedPosition>> GetRecentPositionsAsync(UserId user, int limit, CancellationToken cancellationToken) => throw Unexpected();

    private static InvalidOperationException Unexpected([System.Runtime.CompilerServices.CallerMemberName] string call = "") =>
        new($"The position store was not expected to be called ({call}).");
}
