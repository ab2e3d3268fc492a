using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VantaBot.Infrastructure.KeyVault;

/// <summary>
/// Master keys from a JSON key file (see <see cref="MasterKeyRing.TryParseFile"/>), mode 0600. The file is
/// re-read when it changes, so adding a new current key (rotate-keys --new-key, or an operator's edit) takes
/// effect on every instance sharing the file without a restart; retired keys stay in the file until rotation has
/// re-wrapped every row. With no KeyVault__KeyFile a development key is generated next to the database.
/// </summary>
public sealed partial class FileMasterKeyProvider(IOptions<KeyVaultOptions> options, TimeProvider time, ILogger<FileMasterKeyProvider> logger) : IMasterKeyProvider, IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly KeyVaultOptions _options = options.Value;
    private MasterKeyRing? _ring;
    private (DateTime WrittenAt, long Length) _loadedVersion;

    public string KeyFile => _options.EffectiveKeyFile;

    public void Dispose() => _gate.Dispose();

    public async ValueTask<IMasterKey> GetCurrentAsync(CancellationToken cancellationToken) => (await LoadAsync(cancellationToken)).Current;

    public async ValueTask<IMasterKey?> GetAsync(string keyId, CancellationToken cancellationToken)
    {
        var ring = await LoadAsync(cancellationToken);
        if (ring.Find(keyId) is { } key)
        {
            return key;
        }

        // Another instance may have just added the key: look at the file once more before calling it unknown.
        return (await LoadAsync(cancellationToken, force: true)).Find(keyId);
    }

    /// <summary>Generates a new key, adds it to the file as current (keeping the old ones) and returns its id.</summary>
    public async Task<string> AddNewCurrentKeyAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken); // creates the development key file when that is what is configured
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var text = await File.ReadAllTextAsync(KeyFile, cancellationToken);
            var entries = ReadEntries(text);
            var id = NewKeyId();
            var secret = RandomNumberGenerator.GetBytes(AesGcmEnvelope.KeySize);
            try
            {
                entries.Add((id, secret));
                await WriteAtomicallyAsync(MasterKeyRing.Serialize(id, entries), overwrite: true, cancellationToken);
            }
            finally
            {
                foreach (var (_, key) in entries)
                {
                    CryptographicOperations.ZeroMemory(key);
                }
            }

            _ring = null;
            LogKeyAdded(id, KeyFile);
            return id;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<MasterKeyRing> LoadAsync(CancellationToken cancellationToken, bool force = false)
    {
        var version = CurrentVersion();
        if (!force && _ring is { } cached && version == _loadedVersion)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!File.Exists(KeyFile))
            {
                await CreateDevelopmentKeyAsync(cancellationToken);
            }

            version = CurrentVersion();
            var text = await File.ReadAllTextAsync(KeyFile, cancellationToken);
            if (!MasterKeyRing.TryParseFile(text, out var ring, out var problem))
            {
                throw new InvalidOperationException($"KeyVault__KeyFile: {KeyFile} {problem}.");
            }

            WarnIfReadableByOthers();
            _ring = ring;
            _loadedVersion = version;
            return ring;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task CreateDevelopmentKeyAsync(CancellationToken cancellationToken)
    {
        if (!_options.UsesDevelopmentKey || !_options.AllowDevelopmentKey)
        {
            throw new InvalidOperationException($"KeyVault__KeyFile: {KeyFile} does not exist.");
        }

        var id = NewKeyId();
        var secret = RandomNumberGenerator.GetBytes(AesGcmEnvelope.KeySize);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(KeyFile)!);
            if (await WriteAtomicallyAsync(MasterKeyRing.Serialize(id, [(id, secret)]), overwrite: false, cancellationToken))
            {
                LogDevelopmentKey(KeyFile);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Written to a 0600 temporary file and moved into place, so no reader ever sees half a key file.</summary>
    private async Task<bool> WriteAtomicallyAsync(string content, bool overwrite, CancellationToken cancellationToken)
    {
        var temporary = $"{KeyFile}.{Guid.NewGuid():N}.tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = OwnerOnly;
        }

        try
        {
            await using (var stream = new FileStream(temporary, fileOptions))
            await using (var writer = new StreamWriter(stream))
            {
                await writer.WriteAsync(content.AsMemory(), cancellationToken);
            }

            try
            {
                File.Move(temporary, KeyFile, overwrite);
                return true;
            }
            catch (IOException) when (!overwrite && File.Exists(KeyFile))
            {
                // Another process created the development key first; that one is the key.
                return false;
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static List<(string Id, byte[] Key)> ReadEntries(string text)
    {
        if (!MasterKeyRing.TryParseFile(text, out _, out var problem))
        {
            throw new InvalidOperationException($"KeyVault__KeyFile {problem}.");
        }

        var model = System.Text.Json.JsonSerializer.Deserialize(text, KeyFileJson.Default.KeyFileModel)!;
        return model.Keys!.Select(k => (k.Id!, Convert.FromBase64String(k.Key!))).ToList();
    }

    private string NewKeyId() => $"mk-{time.GetUtcNow():yyyyMMddHHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";

    private (DateTime, long) CurrentVersion()
    {
        var info = new FileInfo(KeyFile);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }

    private void WarnIfReadableByOthers()
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(KeyFile) & ~(OwnerOnly | UnixFileMode.UserExecute)) != 0)
        {
            LogLoosePermissions(KeyFile);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "KeyVault: generated a DEVELOPMENT master key at {KeyFile} (mode 0600). It is for development only: it sits next to the database, so a copy of both exposes every wallet. In production set KeyVault__KeyFile to a key kept apart from the database (or use a KMS) and KeyVault__AllowDevelopmentKey=false.")]
    private partial void LogDevelopmentKey(string keyFile);

    [LoggerMessage(Level = LogLevel.Warning, Message = "KeyVault: {KeyFile} is readable by group or others; restrict it to the owner (chmod 600).")]
    private partial void LogLoosePermissions(string keyFile);

    [LoggerMessage(Level = LogLevel.Information, Message = "KeyVault: added master key {KeyId} to {KeyFile} as current; run rotation to re-wrap existing data keys.")]
    private partial void LogKeyAdded(string keyId, string keyFile);
}
