using VantaBot.Trading.Users;

namespace VantaBot.Bot.Pipeline;

/// <summary>One class per command. The pipeline checks <see cref="MinimumRole"/> before calling it.</summary>
public interface ICommandHandler
{
    /// <summary>Lower-case command name without the slash.</summary>
    string Command { get; }

    Role MinimumRole { get; }

    /// <summary>The right form, e.g. "/price &lt;PAIR&gt;"; shown in /help and in every invalid-arguments reply.</summary>
    string Usage { get; }

    string Description { get; }

    Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken);
}

/// <summary>One class per inline-button family; callback data is "&lt;prefix&gt;:&lt;payload&gt;".</summary>
public interface ICallbackHandler
{
    string Prefix { get; }

    Role MinimumRole { get; }

    Task<UpdateOutcome> HandleAsync(CallbackContext context, CancellationToken cancellationToken);
}
