namespace VantaBot.Bot.Pipeline;

public enum UpdateOutcome
{
    Ok,
    InvalidArguments,
    Rejected,
    Denied,

    /// <summary>A pipeline gate (maintenance, rate limit) refused the update before its handler ran.</summary>
    Refused,
    UnknownCommand,
    Ignored,
    Error,
}

public static class UpdateOutcomeExtensions
{
    public static string ToMetricValue(this UpdateOutcome outcome) => outcome switch
    {
        UpdateOutcome.Ok => "ok",
        UpdateOutcome.InvalidArguments => "invalid_arguments",
        UpdateOutcome.Rejected => "rejected",
        UpdateOutcome.Denied => "denied",
        UpdateOutcome.Refused => "refused",
        UpdateOutcome.UnknownCommand => "unknown_command",
        UpdateOutcome.Ignored => "ignored",
        _ => "error",
    };
}
