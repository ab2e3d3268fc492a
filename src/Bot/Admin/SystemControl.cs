using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VantaBot.Trading.Control;

namespace VantaBot.Bot.Admin;

/// <summary>
/// This instance's view of the stop and maintenance switches. Re-read from the database by
/// <see cref="ControlRefresher"/> every <see cref="AdminOptions.ControlRefreshInterval"/> and at once on a
/// cross-instance signal; a reader that finds the view older than two intervals (refresher stalled) reads the
/// database itself, so a stop is never obeyed late by more than that.
/// </summary>
public sealed class SystemControl(IServiceScopeFactory scopes, IControlSignal signal, IOptions<AdminOptions> options, TimeProvider time) : ISystemControl, IDisposable
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly TimeSpan _maxAge = options.Value.ControlRefreshInterval * 2;
    private ControlSnapshot? _current;

    public async ValueTask<ControlSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        return current is not null && time.GetUtcNow() - current.ReadAt <= _maxAge ? current : await RefreshAsync(cancellationToken);
    }

    /// <summary>Reads the switches from the database now.</summary>
    public async Task<ControlSnapshot> RefreshAsync(CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var snapshot = await scope.ServiceProvider.GetRequiredService<IControlStateStore>().ReadAsync(cancellationToken);
            Volatile.Write(ref _current, snapshot);
            return snapshot;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>After this instance wrote a switch: obey it here at once, and tell the others.</summary>
    public async Task<ControlSnapshot> ChangedHereAsync(CancellationToken cancellationToken)
    {
        var snapshot = await RefreshAsync(cancellationToken);
        await signal.PublishAsync(cancellationToken);
        return snapshot;
    }

    public void Dispose() => _refresh.Dispose();
}
