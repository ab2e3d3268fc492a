using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Quartz;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.DailyLoss;

namespace VantaBot.IntegrationTests.Jobs;

/// <summary>
/// Two bot instances on one PostgreSQL database with <c>Jobs__Clustered=true</c>: Quartz's clustered store fires
/// each occurrence of the daily job on exactly one of them. The daily cron is set to every second here so that a
/// few seconds show many occurrences; every other setting is the production one.
/// </summary>
public sealed class ClusteredJobsTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Instance, string Job, DateTimeOffset? Scheduled)> _fires = new();
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = TestDatabase.Create(DatabaseProvider.Postgres);
        await _database.MigrateAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Two_instances_fire_each_occurrence_of_the_daily_job_once()
    {
        using var telegramA = TelegramEmulator.FromEnvironment();
        using var telegramB = TelegramEmulator.FromEnvironment();
        var settings = new Dictionary<string, string?>
        {
            ["Jobs:Clustered"] = "true",
            ["Jobs:DailyResetCron"] = "0/1 * * * * ?",
            ["Jobs:ClusterCheckinInterval"] = "00:00:01",
        };

        var a = await RunningBot.StartAsync(telegramA, _database, settings, RecordFires);
        var b = await RunningBot.StartAsync(telegramB, _database, settings, RecordFires);
        try
        {
            await a.WaitUntilReadyAsync();
            await b.WaitUntilReadyAsync();
            await Task.Delay(TimeSpan.FromSeconds(6));
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
        }

        var daily = _fires.Where(f => f.Job == DailyLossReset.JobName).ToArray();
        daily.Length.ShouldBeGreaterThanOrEqualTo(3, "the every-second daily trigger fired a few times");
        var duplicates = daily.GroupBy(f => f.Scheduled).Where(g => g.Count() > 1).Select(g => $"{g.Key:O} on {string.Join(", ", g.Select(f => f.Instance))}").ToArray();
        duplicates.ShouldBeEmpty("no occurrence fired on both instances");

        // And the day itself was started once, whoever ran it.
        await using var db = _database.CreateContext();
        (await db.Set<JobRunEntity>().CountAsync(r => r.Job == DailyLossReset.JobName)).ShouldBe(1);
    }

    private void RecordFires(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder) =>
        builder.Services.ConfigureAllQuartzSchedulers(quartz => quartz.AddJobListener(new FireRecorder(_fires), [GroupMatcher<JobKey>.AnyGroup()]));

    private sealed class FireRecorder(ConcurrentQueue<(string Instance, string Job, DateTimeOffset? Scheduled)> fires) : IJobListener
    {
        public string Name => "test-fire-recorder";

        public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            fires.Enqueue((context.Scheduler.SchedulerInstanceId, context.JobDetail.Key.Name, context.ScheduledFireTimeUtc));
            return default;
        }

        public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken) => default;

        public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken) => default;

        public ValueTask JobProgressChanged(IJobExecutionContext context, Quartz.Extensibility.FireInstanceProgress progress, CancellationToken cancellationToken) => default;
    }
}
