namespace VantaBot.Risk;

/// <summary>
/// Global execution mode. DRY routes every order to paper venues; LIVE allows real venues for users who opted in.
/// New deployments start in DRY.
/// </summary>
public enum ExecutionMode
{
    Dry,
    Live,
}
