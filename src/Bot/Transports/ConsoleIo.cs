namespace VantaBot.Bot.Transports;

/// <summary>The Console transport's terminal; tests substitute their own reader and writer.</summary>
public sealed record ConsoleIo(TextReader Input, TextWriter Output)
{
    public static ConsoleIo Standard() => new(Console.In, Console.Out);
}
