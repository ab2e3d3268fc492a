namespace VantaBot.Bot.Jobs;

/// <summary>
/// This process's name among the bot's instances: Quartz's instance id in the cluster and the "instance" column of
/// job runs. Unique per process start (two hosts in one test process included).
/// </summary>
public sealed record JobsInstance(string Id)
{
    public static JobsInstance Create() =>
        new($"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
}
