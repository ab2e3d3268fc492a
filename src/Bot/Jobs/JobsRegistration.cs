using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Quartz;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Trading.DailyLoss;

namespace VantaBot.Bot.Jobs;

public static class JobsRegistration
{
    /// <summary>The scheduler name every instance shares; in the clustered store it is the cluster's name.</summary>
    public const string SchedulerName = "VantaBot";

    /// <summary>
    /// The daily-loss day start (used by the trade path), the Quartz scheduler with its four recurring jobs, the
    /// start-up catch-up of the daily reset, and admin alerts. RAM job store by default; with
    /// <c>Jobs__Clustered=true</c> Quartz's clustered ADO.NET store on the PostgreSQL database.
    /// </summary>
    public static IServiceCollection AddVantaBotJobs(this IServiceCollection services, IConfiguration config, DatabaseOptions database)
    {
        services.AddOptions<JobsOptions>().Bind(config.GetSection(JobsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobsOptions>, JobsOptionsValidator>();
        var jobs = config.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();

        services.AddScoped<DayStartEquity>();
        services.AddScoped<DailyLossReset>();

        var instance = JobsInstance.Create();
        services.AddSingleton(instance);
        services.AddSingleton<AdminAlerts>();

        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler =>
            {
                scheduler.InstanceName = SchedulerName;
                scheduler.InstanceId = instance.Id;
            });

            // The validator refuses Clustered without PostgreSQL; the guard keeps a bad config from reaching Npgsql.
            if (jobs.Clustered && database.Provider == DatabaseProvider.Postgres)
            {
                quartz.UsePersistentStore(store =>
                {
                    store.UsePostgres(database.EffectiveConnectionString);
                    store.UseClustering(cluster => cluster.CheckinInterval = jobs.ClusterCheckinInterval);
                    store.ConfigureStore(ado =>
                    {
                        ado.TablePrefix = "qrtz_";

                        // Migration 20261122030000_Prices creates the tables; Quartz only checks they are there.
                        ado.SchemaProvisioning = SchemaProvisioning.Validate;
                    });
                });
            }
            else
            {
                quartz.UseInMemoryStore(_ => { });
            }

            Every<PriceFeedHealthJob>(quartz, PriceFeedHealthJob.Name, jobs.FeedHealthInterval);
            Every<IntentRecoveryJob>(quartz, IntentRecoveryJob.Name, jobs.RecoveryInterval);
            Every<ProcessedUpdatesRetentionJob>(quartz, ProcessedUpdatesRetentionJob.Name, jobs.RetentionInterval);
            quartz.ScheduleJob<DailyLossResetJob>(
                trigger => trigger.WithIdentity(DailyLossResetJob.Name)
                    .WithSchedule(CronScheduleBuilder.Create(jobs.DailyResetCron).InTimeZone(TimeZoneInfo.Utc)),
                job => job.WithIdentity(DailyLossResetJob.Name).DisallowConcurrentExecution(true));
        });

        services.AddHostedService<SchedulerHost>();
        services.AddHostedService<DailyResetCatchUp>();
        return services;
    }

    private static void Every<TJob>(IQuartzBuilder quartz, string name, TimeSpan interval)
        where TJob : class, IJob =>
        quartz.ScheduleJob<TJob>(
            trigger => trigger.WithIdentity(name).StartNow().WithSchedule(SimpleScheduleBuilder.Create().WithInterval(interval).RepeatForever()),
            job => job.WithIdentity(name).DisallowConcurrentExecution(true));
}
