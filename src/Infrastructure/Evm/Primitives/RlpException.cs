namespace VantaBot.Infrastructure.Evm.Primitives;

/// <summary>RLP input that is malformed or not in its one canonical form; the message says which rule it broke.</summary>
public sealed class RlpException : FormatException
{
    public RlpException()
    {
    }

    public RlpException(string message)
        : base(message)
    {
    }

    public RlpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
