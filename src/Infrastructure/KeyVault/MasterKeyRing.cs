using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace VantaBot.Infrastructure.KeyVault;

/// <summary>A set of versioned master keys, one of them current; parsed from a key file or an environment variable.</summary>
public sealed partial class MasterKeyRing
{
    private readonly Dictionary<string, LocalMasterKey> _keys;

    private MasterKeyRing(LocalMasterKey current, Dictionary<string, LocalMasterKey> keys)
    {
        Current = current;
        _keys = keys;
    }

    public LocalMasterKey Current { get; }

    public IReadOnlyCollection<string> KeyIds => _keys.Keys;

    public LocalMasterKey? Find(string keyId) => _keys.GetValueOrDefault(keyId);

    /// <summary>Ids are stored per row and bound into associated data: short, printable, unambiguous.</summary>
    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    /// <summary>
    /// The key file: <c>{"current":"&lt;id&gt;","keys":[{"id":"&lt;id&gt;","key":"&lt;base64 of 32 bytes&gt;"}, …]}</c>.
    /// <paramref name="problem"/> never quotes key material.
    /// </summary>
    public static bool TryParseFile(string json, [NotNullWhen(true)] out MasterKeyRing? ring, [NotNullWhen(false)] out string? problem)
    {
        ring = null;
        KeyFileModel? model;
        try
        {
            model = JsonSerializer.Deserialize(json, KeyFileJson.Default.KeyFileModel);
        }
        catch (JsonException)
        {
            problem = "is not a key file (expected JSON {\"current\":\"<id>\",\"keys\":[{\"id\":\"<id>\",\"key\":\"<base64>\"}]})";
            return false;
        }

        if (model?.Keys is not { Count: > 0 } || string.IsNullOrWhiteSpace(model.Current))
        {
            problem = "holds no keys or marks none as current";
            return false;
        }

        return TryBuild(model.Current, model.Keys.Select(k => (k.Id ?? "", k.Key ?? "")), out ring, out problem);
    }

    /// <summary>The environment form: <c>&lt;id&gt;:&lt;base64&gt;[,&lt;id&gt;:&lt;base64&gt;…]</c>, the first current; a bare base64 is key "env".</summary>
    public static bool TryParseList(string text, [NotNullWhen(true)] out MasterKeyRing? ring, [NotNullWhen(false)] out string? problem)
    {
        var entries = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(entry => entry.Split(':', 2) is [var id, var key] ? (id.Trim(), key.Trim()) : ("env", entry))
            .ToArray();
        if (entries.Length == 0)
        {
            ring = null;
            problem = "is empty";
            return false;
        }

        return TryBuild(entries[0].Item1, entries, out ring, out problem);
    }

    public static string Serialize(string currentId, IEnumerable<(string Id, byte[] Key)> keys) =>
        JsonSerializer.Serialize(
            new KeyFileModel { Current = currentId, Keys = keys.Select(k => new KeyFileEntry { Id = k.Id, Key = Convert.ToBase64String(k.Key) }).ToList() },
            KeyFileJson.Default.KeyFileModel);

    private static bool TryBuild(string currentId, IEnumerable<(string Id, string Base64)> entries, [NotNullWhen(true)] out MasterKeyRing? ring, [NotNullWhen(false)] out string? problem)
    {
        ring = null;
        var keys = new Dictionary<string, LocalMasterKey>(StringComparer.Ordinal);
        foreach (var (id, base64) in entries)
        {
            if (!IsValidId(id))
            {
                problem = $"has a key id '{Printable(id)}' that is not 1–64 characters of A-Z a-z 0-9 . _ -";
                return false;
            }

            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(base64);
            }
            catch (FormatException)
            {
                problem = $"has key '{id}' that is not valid base64";
                return false;
            }

            try
            {
                if (bytes.Length != AesGcmEnvelope.KeySize)
                {
                    problem = $"has key '{id}' of {bytes.Length} bytes; a master key is exactly {AesGcmEnvelope.KeySize} bytes (base64 of 32 random bytes, e.g. `openssl rand -base64 32`)";
                    return false;
                }

                if (!keys.TryAdd(id, new LocalMasterKey(id, bytes)))
                {
                    problem = $"has key id '{id}' twice";
                    return false;
                }
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
            }
        }

        if (!keys.TryGetValue(currentId, out var current))
        {
            problem = $"marks '{Printable(currentId)}' as current but holds no key with that id";
            return false;
        }

        ring = new MasterKeyRing(current, keys);
        problem = null;
        return true;
    }

    private static string Printable(string id) => id.Length > 64 ? id[..64] + "…" : id;

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex IdPattern();

    internal sealed class KeyFileModel
    {
        [JsonPropertyName("current")]
        public string? Current { get; set; }

        [JsonPropertyName("keys")]
        public List<KeyFileEntry>? Keys { get; set; }
    }

    internal sealed class KeyFileEntry
    {
        [JsonPropertyName("id")]
        public string? Id { get; set; }

        [JsonPropertyName("key")]
        public string? Key { get; set; }
    }
}

[JsonSerializable(typeof(MasterKeyRing.KeyFileModel))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class KeyFileJson : JsonSerializerContext;
