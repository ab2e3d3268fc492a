namespace VantaBot.Risk;

/// <summary>The persisted global execution mode (admin-set; DRY until someone deliberately changes it).</summary>
public interface IExecutionModeStore
{
    Task<ExecutionMode> GetAsync(CancellationToken cancellationToken);
}
