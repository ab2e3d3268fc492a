namespace VantaBot.Bot.Jobs;

/// <summary>Settings under <c>Jobs__*</c>: the Quartz scheduler and its recurring jobs.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// False: jobs are scheduled in memory (one instance). True: Quartz's clustered job store on PostgreSQL, so
    /// every job fires once across all instances sharing the database.
    /// </summary>
    public bool Clustered { get; set; }

    /// <summary>Quartz cron (seconds first), evaluated in UTC. The trading day starts when it fires.</summary>
    public string DailyResetCron { get; set; } = "0 0 0 * * ?";

    public TimeSpan FeedHealthInterval { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The recovery job leaves younger unresolved intents alone: they are most likely orders in flight.</summary>
    public TimeSpan RecoveryMinAge { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>processed_updates rows older than this are deleted (Telegram keeps undelivered updates for 24 h).</summary>
    public TimeSpan ProcessedUpdatesRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often a clustered instance checks in; an instance silent for longer has its jobs taken over.</summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(10);
}
