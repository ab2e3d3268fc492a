namespace VantaBot.Trading.Control;

/// <summary>
/// The current stop and maintenance switches, fresh within the configured refresh interval on every instance
/// (sooner when the cross-instance signal arrives). Gates consult it on every order and update.
/// </summary>
public interface ISystemControl
{
    ValueTask<ControlSnapshot> GetAsync(CancellationToken cancellationToken);
}
