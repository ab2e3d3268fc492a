using Microsoft.Extensions.Options;

namespace VantaBot.Infrastructure.KeyVault;

/// <summary>
/// Master keys from an environment variable (<c>&lt;id&gt;:&lt;base64&gt;[,…]</c>, the first current), for development
/// and CI. Read once: the environment of a running process does not change.
/// </summary>
public sealed class EnvironmentMasterKeyProvider : IMasterKeyProvider
{
    private readonly MasterKeyRing _ring;

    public EnvironmentMasterKeyProvider(IOptions<KeyVaultOptions> options, Func<string, string?>? readEnvironment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var variable = options.Value.EnvironmentVariable;
        var value = (readEnvironment ?? Environment.GetEnvironmentVariable)(variable) ?? "";
        _ring = MasterKeyRing.TryParseList(value, out var ring, out var problem)
            ? ring
            : throw new InvalidOperationException($"KeyVault__EnvironmentVariable: the variable {variable} {problem}.");
    }

    public ValueTask<IMasterKey> GetCurrentAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IMasterKey>(_ring.Current);

    public ValueTask<IMasterKey?> GetAsync(string keyId, CancellationToken cancellationToken) => ValueTask.FromResult<IMasterKey?>(_ring.Find(keyId));
}
