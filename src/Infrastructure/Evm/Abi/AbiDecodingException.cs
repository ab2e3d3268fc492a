namespace VantaBot.Infrastructure.Evm.Abi;

/// <summary>ABI data that does not decode as the expected types; the message names the broken rule and where.</summary>
public sealed class AbiDecodingException : FormatException
{
    public AbiDecodingException()
    {
    }

    public AbiDecodingException(string message)
        : base(message)
    {
    }

    public AbiDecodingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
