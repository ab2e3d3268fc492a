using VantaBot.Risk;

namespace VantaBot.Trading.Control;

/// <summary>Sets the persisted global execution mode. Only the admin commands write it, after their checks.</summary>
public interface IExecutionModeWriter
{
    Task SetAsync(ExecutionMode mode, CancellationToken cancellationToken);
}
