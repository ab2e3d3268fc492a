namespace VantaBot.Infrastructure.Evm.Rpc;

/// <summary>
/// RPC providers put API keys in the path (/v2/&lt;key&gt;), the query (?apikey=) or the user info: what may be
/// logged or shown is the scheme, host and port only, plus the endpoint's position in the list.
/// </summary>
public static class RpcUrlRedactor
{
    public static string Redact(string url, int index)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return $"#{index + 1} (unparsable URL)";
        }

        var hidden = uri.AbsolutePath.Length > 1 || uri.Query.Length > 0 || uri.UserInfo.Length > 0 ? "/…" : "";
        return $"#{index + 1} {uri.Scheme}://{uri.Authority}{hidden}";
    }
}
