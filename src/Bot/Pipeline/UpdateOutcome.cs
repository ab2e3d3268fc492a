namespace VantaBot.Bot.Pipeline;

public enum UpdateOutcome
{
    Ok,
    InvalidArguments,
    Rejected,
    Denied,
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
        UpdateOutcome.UnknownCommand => "unknown_command",
        UpdateOutcome.Ignored => "ignored",
        _ => "error",
    };
}
