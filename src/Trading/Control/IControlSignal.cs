namespace VantaBot.Trading.Control;

/// <summary>
/// Tells the other instances that a switch changed, so they re-read it now instead of at their next refresh
/// (Redis pub/sub when configured). Best effort: the periodic database re-read is the guarantee.
/// </summary>
public interface IControlSignal
{
    Task PublishAsync(CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="onChanged"/> whenever another instance publishes; returns once subscribed (or given up).</summary>
    Task SubscribeAsync(Action onChanged, CancellationToken cancellationToken);
}

/// <summary>One instance, no Redis: nothing to tell anyone; the database re-read still covers a second instance.</summary>
public sealed class InProcessControlSignal : IControlSignal
{
    public Task PublishAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SubscribeAsync(Action onChanged, CancellationToken cancellationToken) => Task.CompletedTask;
}
