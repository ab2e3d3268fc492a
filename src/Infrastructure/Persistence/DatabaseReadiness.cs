namespace VantaBot.Infrastructure.Persistence;

/// <summary>
/// Whether the schema is migrated and the database answered. Transports wait on it before taking updates, so a
/// bot started before its database (docker compose, a restart of PostgreSQL) stays alive and reports not-ready
/// instead of crashing or dropping updates.
/// </summary>
public sealed class DatabaseReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>The last reason the initializer could not finish; null once ready.</summary>
    public string? LastError { get; private set; } = "database not initialised yet";

    public void MarkReady()
    {
        LastError = null;
        _ready.TrySetResult();
    }

    public void MarkFailed(string reason) => LastError = reason;

    public Task WaitAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);
}
