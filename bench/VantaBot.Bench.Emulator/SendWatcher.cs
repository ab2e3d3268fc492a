using System.Text.Json;

namespace VantaBot.Bench.Emulator;

/// <summary>
/// Sits in the bot's own Bot API HttpClient and, once the emulator accepted a sendMessage, signals its chat. It
/// only watches: the request goes to the emulator unchanged.
/// </summary>
internal sealed class SendWatcher(ChatSignals signals) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode
            && request.RequestUri?.AbsolutePath.EndsWith("/sendMessage", StringComparison.Ordinal) == true
            && request.Content is { } content)
        {
            using var body = JsonDocument.Parse(await content.ReadAsStringAsync(cancellationToken));
            if (body.RootElement.TryGetProperty("chat_id", out var chat) && chat.ValueKind == JsonValueKind.Number)
            {
                signals.Sent(chat.GetInt64());
            }
        }

        return response;
    }
}
