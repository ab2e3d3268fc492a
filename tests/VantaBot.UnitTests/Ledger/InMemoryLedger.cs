using VantaBot.Trading.Ledger;
using VantaBot.Trading.Perps;
using VantaBot.Trading.Users;

namespace VantaBot.UnitTests.Ledger;

/// <summary>
/// An in-memory <see cref="IOrderIntentStore"/>, <see cref="IAccountLedger"/> and <see cref="IHoldingsReader"/> that follows the store's contract:
/// available = balance − holds; an open is placed only when available covers its collateral, and a repeated
/// (user, idempotency key) returns the first intent; completing or failing resolves a Pending/Submitted intent once.
/// </summary>
public sealed class InMemoryLedger : IOrderIntentStore, IAccountLedger, IHoldingsReader
{
    private readonly Lock _gate = new();
    private readonly Dictionary<UserId, decimal> _balances = [];
    private readonly Dictionary<IntentId, OrderIntent> _intents = [];
    private readonly Dictionary<IntentId, decimal> _holds = [];
    private readonly List<Position> _positions = [];
    private readonly HashSet<string> _depositKeys = new(StringComparer.Ordinal);

    public int PlaceCalls { get; private set; }

    public List<(IntentId Intent, IntentState State, string Reason)> Failures { get; } = [];

    public List<(IntentId Intent, PerpOpenFill Fill, decimal StopLoss, bool SetByBot)> Completions { get; } = [];

    public IReadOnlyList<OrderIntent> Intents
    {
        get
        {
            lock (_gate)
            {
                return _intents.Values.ToList();
            }
        }
    }

    public IReadOnlyList<Position> Positions
    {
        get
        {
            lock (_gate)
            {
                return _positions.ToList();
            }
        }
    }

    public decimal HoldOf(IntentId intent)
    {
        lock (_gate)
        {
            return _holds.GetValueOrDefault(intent);
        }
    }

    /// <summary>Seeds an intent as a crash would have left it, with its hold.</summary>
    public void Seed(OrderIntent intent, decimal hold)
    {
        lock (_gate)
        {
            _intents[intent.Id] = intent;
            _holds[intent.Id] = hold;
        }
    }

    public Task<AccountSnapshot> GetAsync(UserId user, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(Snapshot(user));
        }
    }

    public Task<bool> DepositAsync(UserId user, decimal amount, string idempotencyKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_depositKeys.Add($"{user}:{idempotencyKey}"))
            {
                return Task.FromResult(false);
            }

            _balances[user] = _balances.GetValueOrDefault(user) + amount;
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<LedgerDiscrepancy>> VerifyAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LedgerDiscrepancy>>([]);

    public Task<PlaceIntentResult> PlaceOpenAsync(OrderIntent intent, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            PlaceCalls++;
            var existing = _intents.Values.FirstOrDefault(i => i.User == intent.User && i.IdempotencyKey == intent.IdempotencyKey);
            if (existing is not null)
            {
                return Task.FromResult(new PlaceIntentResult(PlaceIntentOutcome.Duplicate, existing, Snapshot(intent.User)));
            }

            if (Snapshot(intent.User).Available < intent.Collateral)
            {
                return Task.FromResult(new PlaceIntentResult(PlaceIntentOutcome.InsufficientFunds, intent, Snapshot(intent.User)));
            }

            var placed = intent with { State = IntentState.Pending };
            _intents[placed.Id] = placed;
            _holds[placed.Id] = placed.Collateral;
            return Task.FromResult(new PlaceIntentResult(PlaceIntentOutcome.Placed, placed, Snapshot(intent.User)));
        }
    }

    public Task MarkSubmittedAsync(IntentId intent, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_intents.TryGetValue(intent, out var found) && found.State == IntentState.Pending)
            {
                _intents[intent] = found with { State = IntentState.Submitted };
            }

            return Task.CompletedTask;
        }
    }

    public Task<Position> CompleteOpenAsync(IntentId intent, PerpOpenFill fill, decimal stopLoss, bool stopLossSetByBot, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var found = _intents[intent];
            if (found.State is not (IntentState.Pending or IntentState.Submitted))
            {
                return Task.FromResult(
                    _positions.SingleOrDefault(p => p.Id == found.Position) ?? throw new InvalidOperationException($"Intent {intent} is {found.State}, not fillable."));
            }

            Completions.Add((intent, fill, stopLoss, stopLossSetByBot));
            var posted = _holds.GetValueOrDefault(intent);
            _holds.Remove(intent);
            _balances[found.User] = _balances.GetValueOrDefault(found.User) - posted;
            var position = new Position(
                PositionId.New(), found.User, fill.Pair, fill.Side, fill.Collateral, fill.Leverage, fill.EntryPrice, fill.LiquidationPrice,
                found.TakeProfit, stopLoss, stopLossSetByBot, fill.OpenFee, fill.FilledAt, PositionStatus.Open, 0m, null);
            _positions.Add(position);
            _intents[intent] = found with { State = IntentState.Filled, Position = position.Id };
            return Task.FromResult(position);
        }
    }

    public Task FailAsync(IntentId intent, IntentState finalState, string reason, CancellationToken cancellationToken)
    {
        if (finalState is not (IntentState.Failed or IntentState.Cancelled))
        {
            throw new ArgumentOutOfRangeException(nameof(finalState), finalState, "Only Failed or Cancelled end an intent without a fill.");
        }

        lock (_gate)
        {
            var found = _intents[intent];
            if (found.State is not (IntentState.Pending or IntentState.Submitted))
            {
                return Task.CompletedTask;
            }

            Failures.Add((intent, finalState, reason));
            _holds.Remove(intent);
            _intents[intent] = found with { State = finalState, FailureReason = reason };
            return Task.CompletedTask;
        }
    }

    public Task<OrderIntent?> FindAsync(IntentId intent, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_intents.GetValueOrDefault(intent));
        }
    }

    public Task<OrderIntent?> FindByIdempotencyKeyAsync(UserId user, string idempotencyKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_intents.Values.FirstOrDefault(i => i.User == user && i.IdempotencyKey == idempotencyKey));
        }
    }

    public Task<IReadOnlyList<OrderIntent>> GetUnresolvedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<OrderIntent>>(
                _intents.Values.Where(i => i.State is IntentState.Pending or IntentState.Submitted).OrderBy(i => i.CreatedAt).ToList());
        }
    }

    public Task<IReadOnlyList<Position>> GetOpenPositionsAsync(UserId user, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Position>>(_positions.Where(p => p.User == user && p.Status == PositionStatus.Open).ToList());
        }
    }

    public Task<Holdings> ReadHoldingsAsync(UserId user, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(new Holdings(Snapshot(user), _positions.Where(p => p.User == user && p.Status == PositionStatus.Open).ToList()));
        }
    }

    private AccountSnapshot Snapshot(UserId user)
    {
        var held = _intents.Values.Where(i => i.User == user).Sum(i => _holds.GetValueOrDefault(i.Id));
        return new AccountSnapshot(user, _balances.GetValueOrDefault(user), held);
    }
}
