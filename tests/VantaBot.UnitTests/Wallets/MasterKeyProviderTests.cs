using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shouldly;
using VantaBot.Infrastructure.KeyVault;
using VantaBot.Infrastructure.Persistence;
using VantaBot.UnitTests.Telegram;
using Xunit;

namespace VantaBot.UnitTests.Wallets;

public sealed class MasterKeyProviderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vantabot-keys-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_development_key_is_generated_once_next_to_the_database_owner_only_with_a_warning()
    {
        var options = new KeyVaultOptions { DevelopmentKeyDirectory = DevelopmentKeyLocation.DirectoryFor(new DatabaseOptions { ConnectionString = $"Data Source={Path.Combine(_directory, "bot.db")}" }) };
        var logs = new ListLoggerProvider();
        using var provider = File(options, logs);

        var first = await provider.GetCurrentAsync(default);
        using var again = File(options, logs);
        var second = await again.GetCurrentAsync(default);

        provider.KeyFile.ShouldBe(Path.Combine(_directory, KeyVaultOptions.DevelopmentKeyFileName));
        Mode(provider.KeyFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        second.Id.ShouldBe(first.Id);
        logs.Lines.Count(l => l.Contains("DEVELOPMENT master key", StringComparison.Ordinal)).ShouldBe(1);
        Directory.GetFiles(_directory).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_new_current_key_keeps_the_old_ones_readable_and_other_providers_see_it_without_restart()
    {
        var options = new KeyVaultOptions { DevelopmentKeyDirectory = _directory };
        using var writer = File(options);
        using var reader = File(options);
        var old = await reader.GetCurrentAsync(default);
        var wrapped = await old.WrapAsync(new byte[32], "ad"u8.ToArray(), default);

        var id = await writer.AddNewCurrentKeyAsync(default);

        id.ShouldNotBe(old.Id);
        (await reader.GetAsync(id, default)).ShouldNotBeNull();
        (await reader.GetCurrentAsync(default)).Id.ShouldBe(id);
        var retired = (await reader.GetAsync(old.Id, default)).ShouldNotBeNull();
        (await retired.UnwrapAsync(wrapped, "ad"u8.ToArray(), default)).ShouldBe(new byte[32]);
        Mode(writer.KeyFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task The_environment_provider_reads_versioned_keys_the_first_current()
    {
        var k1 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var k2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var provider = new EnvironmentMasterKeyProvider(Options.Create(new KeyVaultOptions { EnvironmentVariable = "X" }), name => name == "X" ? $"new:{k2}, old:{k1}" : null);

        (await provider.GetCurrentAsync(default)).Id.ShouldBe("new");
        (await provider.GetAsync("old", default)).ShouldNotBeNull();
        (await provider.GetAsync("other", default)).ShouldBeNull();
        MasterKeyRing.TryParseList(k1, out var bare, out _).ShouldBeTrue();
        bare!.Current.Id.ShouldBe("env");
    }

    [Theory]
    [InlineData(16, "KeyVault__EnvironmentVariable: the variable DEV_KEYS has key 'k1' of 16 bytes; a master key is exactly 32 bytes")]
    [InlineData(33, "has key 'k1' of 33 bytes")]
    public void A_master_key_of_the_wrong_length_is_refused_naming_the_setting(int length, string expected)
    {
        var key = Convert.ToBase64String(new byte[length]);
        var result = Validate(new KeyVaultOptions { Provider = MasterKeyProviderKind.Environment, EnvironmentVariable = "DEV_KEYS" }, $"k1:{key}");

        result.Failed.ShouldBeTrue();
        result.FailureMessage!.ShouldContain(expected);
        result.FailureMessage.ShouldNotContain(key);
    }

    [Fact]
    public void Every_bad_setting_is_named()
    {
        Validate(new KeyVaultOptions { Provider = MasterKeyProviderKind.Environment, EnvironmentVariable = "DEV_KEYS" }, null)
            .FailureMessage!.ShouldContain("KeyVault__EnvironmentVariable: the variable DEV_KEYS is not set");
        Validate(new KeyVaultOptions { Provider = MasterKeyProviderKind.Environment, EnvironmentVariable = " " }, null)
            .FailureMessage!.ShouldContain("KeyVault__EnvironmentVariable must name the variable");
        Validate(new KeyVaultOptions { Provider = MasterKeyProviderKind.Environment, EnvironmentVariable = "DEV_KEYS" }, "k1:not base64!")
            .FailureMessage!.ShouldContain("has key 'k1' that is not valid base64");
        Validate(new KeyVaultOptions { Provider = (MasterKeyProviderKind)7 }, null).FailureMessage!.ShouldContain("KeyVault__Provider must be File or Environment");
        Validate(new KeyVaultOptions { KeyFile = Path.Combine(_directory, "absent.key") }, null).FailureMessage!.ShouldContain($"KeyVault__KeyFile: {Path.Combine(_directory, "absent.key")} does not exist");
        Validate(new KeyVaultOptions { AllowDevelopmentKey = false, DevelopmentKeyDirectory = _directory }, null).FailureMessage!.ShouldContain("KeyVault__KeyFile is required when KeyVault__AllowDevelopmentKey=false");
        Validate(new KeyVaultOptions { RotationBatchSize = 0, DevelopmentKeyDirectory = _directory }, null).FailureMessage!.ShouldContain("KeyVault__RotationBatchSize must be between 1 and 1000");
        Validate(new KeyVaultOptions { DevelopmentKeyDirectory = _directory }, null).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void A_key_file_with_a_short_key_or_no_current_key_is_refused_naming_the_setting()
    {
        var path = Path.Combine(_directory, "master.key");
        System.IO.File.WriteAllText(path, MasterKeyRing.Serialize("a", [("a", new byte[31])]));
        Validate(new KeyVaultOptions { KeyFile = path }, null).FailureMessage!.ShouldContain($"KeyVault__KeyFile: {path} has key 'a' of 31 bytes; a master key is exactly 32 bytes");

        System.IO.File.WriteAllText(path, MasterKeyRing.Serialize("b", [("a", new byte[32])]));
        Validate(new KeyVaultOptions { KeyFile = path }, null).FailureMessage!.ShouldContain("marks 'b' as current but holds no key with that id");

        System.IO.File.WriteAllText(path, "not json");
        Validate(new KeyVaultOptions { KeyFile = path }, null).FailureMessage!.ShouldContain("is not a key file");

        System.IO.File.WriteAllText(path, MasterKeyRing.Serialize("a", [("a", new byte[32])]));
        Validate(new KeyVaultOptions { KeyFile = path }, null).Succeeded.ShouldBeTrue();
    }

    private static ValidateOptionsResult Validate(KeyVaultOptions options, string? environmentValue) =>
        new KeyVaultOptionsValidator(_ => environmentValue).Validate(null, options);

    private static FileMasterKeyProvider File(KeyVaultOptions options, ILoggerProvider? logs = null) =>
        new(Options.Create(options), TimeProvider.System, (logs ?? new ListLoggerProvider()).CreateLogger(nameof(FileMasterKeyProvider)).AsTyped<FileMasterKeyProvider>());

    private static UnixFileMode Mode(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("file modes are POSIX");
        }

        return System.IO.File.GetUnixFileMode(path);
    }
}

internal static class LoggerExtensions
{
    public static ILogger<T> AsTyped<T>(this ILogger logger) => new Typed<T>(logger);

    private sealed class Typed<T>(ILogger inner) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
