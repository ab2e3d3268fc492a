namespace VantaBot.Bot.Pipeline;

/// <summary>The bot's own username (from getMe), so "/cmd@OtherBot" in a group is left to the other bot.</summary>
public sealed class BotIdentity
{
    public string? Username { get; set; }

    public bool IsAddressedToUs(CommandLine command) =>
        command.AddressedTo is null || Username is null || string.Equals(command.AddressedTo, Username, StringComparison.OrdinalIgnoreCase);
}
