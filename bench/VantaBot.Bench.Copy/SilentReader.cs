namespace VantaBot.Bench.Copy;

/// <summary>A terminal nobody types into: the Console transport waits on it until the host stops.</summary>
internal sealed class SilentReader : TextReader
{
    public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return null;
    }

    public override string? ReadLine() => throw new NotSupportedException("The harness's terminal is asynchronous only.");
}
