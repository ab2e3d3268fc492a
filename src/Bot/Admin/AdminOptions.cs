using Microsoft.Extensions.Options;

namespace VantaBot.Bot.Admin;

/// <summary>Settings under <c>Admin__*</c>.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>
    /// How often every instance re-reads the stop and maintenance switches from the database. With Redis the
    /// change arrives at once by pub/sub; this bounds how late an instance without Redis (or with a lost
    /// message) obeys a stop.
    /// </summary>
    public TimeSpan ControlRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often an instance records that it is alive (for "instances seen" in /system_status).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);
}

public sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var failures = new List<string>();
        if (options.ControlRefreshInterval < TimeSpan.FromMilliseconds(100) || options.ControlRefreshInterval > TimeSpan.FromSeconds(30))
        {
            failures.Add("Admin__ControlRefreshInterval: must be between 00:00:00.100 and 00:00:30 (an emergency stop must reach every instance within it).");
        }

        if (options.HeartbeatInterval < TimeSpan.FromSeconds(1) || options.HeartbeatInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add("Admin__HeartbeatInterval: must be between 00:00:01 and 00:05:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
