using VantaBot.Risk;
using VantaBot.Trading.Control;

namespace VantaBot.Infrastructure.Persistence;

public sealed class ExecutionModeWriter(SystemSettingStore settings) : IExecutionModeWriter
{
    public Task SetAsync(ExecutionMode mode, CancellationToken cancellationToken) =>
        settings.SetAsync(ExecutionModeStore.Key, mode.ToString(), cancellationToken);
}
