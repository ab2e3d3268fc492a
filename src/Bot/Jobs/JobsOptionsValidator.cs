using Microsoft.Extensions.Options;
using Quartz;
using VantaBot.Infrastructure.Persistence;

namespace VantaBot.Bot.Jobs;

/// <summary>Checks <c>Jobs__*</c>; each failure names its setting.</summary>
public sealed class JobsOptionsValidator(IOptions<DatabaseOptions> database) : IValidateOptions<JobsOptions>
{
    public ValidateOptionsResult Validate(string? name, JobsOptions options)
    {
        var failures = new List<string>();
        if (options.Clustered && database.Value.Provider != DatabaseProvider.Postgres)
        {
            failures.Add("Jobs__Clustered: true needs Database__Provider=Postgres (the clustered job store lives in PostgreSQL).");
        }

        if (!CronExpression.TryParse(options.DailyResetCron ?? "", out _))
        {
            failures.Add($"Jobs__DailyResetCron: '{options.DailyResetCron}' is not a Quartz cron expression (seconds first, e.g. 0 0 0 * * ?).");
        }

        Positive(options.FeedHealthInterval, "FeedHealthInterval", TimeSpan.FromSeconds(1), failures);
        Positive(options.RecoveryInterval, "RecoveryInterval", TimeSpan.FromSeconds(1), failures);
        Positive(options.RecoveryMinAge, "RecoveryMinAge", TimeSpan.FromSeconds(10), failures);
        Positive(options.RetentionInterval, "RetentionInterval", TimeSpan.FromSeconds(1), failures);
        Positive(options.ProcessedUpdatesRetention, "ProcessedUpdatesRetention", TimeSpan.FromDays(1), failures);
        Positive(options.ClusterCheckinInterval, "ClusterCheckinInterval", TimeSpan.FromSeconds(1), failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(TimeSpan value, string setting, TimeSpan minimum, List<string> failures)
    {
        if (value < minimum)
        {
            failures.Add($"Jobs__{setting}: must be at least {minimum:c}.");
        }
    }
}
