namespace VantaBot.Bot.Configuration;

/// <summary>Settings under <c>Trading__*</c>.</summary>
public sealed class TradingOptions
{
    public const string Section = "Trading";

    /// <summary>The deployment's consent to real money. Without it no order is LIVE, whatever the mode says.</summary>
    public bool AllowLive { get; set; }
}
