using Microsoft.Extensions.Options;

namespace VantaBot.Infrastructure.KeyVault;

public enum MasterKeyProviderKind
{
    File,
    Environment,
}

/// <summary>Settings under <c>KeyVault__*</c>: where the master keys that wrap every wallet's data key come from.</summary>
public sealed class KeyVaultOptions
{
    public const string Section = "KeyVault";

    public const string DevelopmentKeyFileName = "vantabot-master.key";

    public const string DefaultEnvironmentVariable = "VANTABOT_MASTER_KEYS";

    public MasterKeyProviderKind Provider { get; set; } = MasterKeyProviderKind.File;

    /// <summary>The key file (File provider). Empty: a development key file next to the database, created on first use.</summary>
    public string? KeyFile { get; set; }

    /// <summary>False in production: then an empty <see cref="KeyFile"/> is a configuration error instead of a generated key.</summary>
    public bool AllowDevelopmentKey { get; set; } = true;

    /// <summary>The variable holding base64 master keys (Environment provider, for development).</summary>
    public string EnvironmentVariable { get; set; } = DefaultEnvironmentVariable;

    /// <summary>Rows re-wrapped per batch by rotation; each row is its own short transaction either way.</summary>
    public int RotationBatchSize { get; set; } = 50;

    /// <summary>Where the development key goes when <see cref="KeyFile"/> is empty (set from the database location).</summary>
    public string DevelopmentKeyDirectory { get; set; } = "";

    public bool UsesDevelopmentKey => Provider == MasterKeyProviderKind.File && string.IsNullOrWhiteSpace(KeyFile);

    public string EffectiveKeyFile => UsesDevelopmentKey
        ? Path.GetFullPath(Path.Combine(string.IsNullOrWhiteSpace(DevelopmentKeyDirectory) ? "." : DevelopmentKeyDirectory, DevelopmentKeyFileName))
        : Path.GetFullPath(KeyFile!);
}

/// <summary>Every message names the setting to fix; none quotes key material.</summary>
public sealed class KeyVaultOptionsValidator(Func<string, string?>? readEnvironment = null) : IValidateOptions<KeyVaultOptions>
{
    private readonly Func<string, string?> _readEnvironment = readEnvironment ?? Environment.GetEnvironmentVariable;

    public ValidateOptionsResult Validate(string? name, KeyVaultOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Provider))
        {
            failures.Add($"KeyVault__Provider must be File or Environment, not '{options.Provider}'.");
        }

        if (options.RotationBatchSize is < 1 or > 1000)
        {
            failures.Add($"KeyVault__RotationBatchSize must be between 1 and 1000, not {options.RotationBatchSize}.");
        }

        if (options.Provider == MasterKeyProviderKind.File)
        {
            ValidateFile(options, failures);
        }
        else if (options.Provider == MasterKeyProviderKind.Environment)
        {
            ValidateEnvironment(options, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateFile(KeyVaultOptions options, List<string> failures)
    {
        if (options.UsesDevelopmentKey)
        {
            if (!options.AllowDevelopmentKey)
            {
                failures.Add("KeyVault__KeyFile is required when KeyVault__AllowDevelopmentKey=false (a development key would be generated otherwise).");
                return;
            }

            // The development key is created on first use; an existing one must still be sound.
            if (!File.Exists(options.EffectiveKeyFile))
            {
                return;
            }
        }
        else if (!File.Exists(options.EffectiveKeyFile))
        {
            failures.Add($"KeyVault__KeyFile: {options.EffectiveKeyFile} does not exist (create it with the rotate-keys --new-key verb or leave KeyVault__KeyFile empty for a development key).");
            return;
        }

        var setting = options.UsesDevelopmentKey ? "the development key file (KeyVault__KeyFile empty)" : "KeyVault__KeyFile";
        try
        {
            if (!MasterKeyRing.TryParseFile(File.ReadAllText(options.EffectiveKeyFile), out _, out var problem))
            {
                failures.Add($"{setting}: {options.EffectiveKeyFile} {problem}.");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failures.Add($"{setting}: {options.EffectiveKeyFile} cannot be read ({ex.GetType().Name}).");
        }
    }

    private void ValidateEnvironment(KeyVaultOptions options, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(options.EnvironmentVariable))
        {
            failures.Add("KeyVault__EnvironmentVariable must name the variable that holds the master keys when KeyVault__Provider=Environment.");
            return;
        }

        var value = _readEnvironment(options.EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"KeyVault__EnvironmentVariable: the variable {options.EnvironmentVariable} is not set; it holds <id>:<base64 of 32 bytes>[,…], the first current.");
        }
        else if (!MasterKeyRing.TryParseList(value, out _, out var problem))
        {
            failures.Add($"KeyVault__EnvironmentVariable: the variable {options.EnvironmentVariable} {problem}.");
        }
    }
}
