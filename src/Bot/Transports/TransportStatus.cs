using VantaBot.Bot.Telegram;

namespace VantaBot.Bot.Transports;

/// <summary>Whether the active transport is connected to its peer; read by /readyz.</summary>
public sealed class TransportStatus
{
    private volatile string? _lastError = "transport not started yet";

    public TelegramTransportKind Kind { get; set; }

    public bool IsConnected => _lastError is null;

    public string? LastError => _lastError;

    public void Connected() => _lastError = null;

    public void Disconnected(string reason) => _lastError = reason;
}
