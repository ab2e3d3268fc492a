using VantaBot.Trading.Users;

namespace VantaBot.Bot.Pipeline;

/// <summary>One class per command. The pipeline checks the command's minimum role before calling it.</summary>
public interface ICommandHandler
{
    Task<UpdateOutcome> HandleAsync(CommandContext context, CancellationToken cancellationToken);
}

/// <summary>
/// A command's static description. Static so the catalog (and /help, which is itself a command) can be built
/// without instantiating any scoped handler.
/// </summary>
public interface ICommandMetadata
{
    /// <summary>Lower-case command name without the slash.</summary>
    static abstract string Command { get; }

    static abstract Role MinimumRole { get; }

    /// <summary>The right form, e.g. "/price &lt;PAIR&gt;"; shown in /help and in every invalid-arguments reply.</summary>
    static abstract string Usage { get; }

    static abstract string Description { get; }

    /// <summary>True for commands that move money or open risk; they fail closed when a limit cannot be checked.</summary>
    static virtual bool IsTradingAction => false;
}

/// <summary>One class per inline-button family; callback data is "&lt;prefix&gt;:&lt;payload&gt;".</summary>
public interface ICallbackHandler
{
    string Prefix { get; }

    Role MinimumRole { get; }

    /// <summary>True for buttons that move money or open risk (see <see cref="ICommandMetadata.IsTradingAction"/>).</summary>
    bool IsTradingAction => false;

    Task<UpdateOutcome> HandleAsync(CallbackContext context, CancellationToken cancellationToken);
}
