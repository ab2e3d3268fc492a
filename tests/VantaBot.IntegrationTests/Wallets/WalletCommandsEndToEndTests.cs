using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using VantaBot.Infrastructure.Evm.Primitives;
using VantaBot.Infrastructure.KeyVault;
using VantaBot.Infrastructure.Persistence;
using VantaBot.Infrastructure.Persistence.Entities;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Wallets;

namespace VantaBot.IntegrationTests.Wallets;

/// <summary>/wallet and /rotate_keys through the Telegram emulator, and no key material anywhere it could leak.</summary>
public abstract partial class WalletCommandsEndToEndTests : EmulatorBotTest, IDisposable
{
    private const long SuperAdmin = 881000;
    private const long Trader = 881001;
    private readonly string _keyDirectory = Directory.CreateTempSubdirectory("vantabot-wallet-keys-").FullName;
    private readonly CapturingLoggerProvider _logs = new();

    protected WalletCommandsEndToEndTests(DatabaseProvider provider)
        : base(provider)
    {
        var keyFile = Path.Combine(_keyDirectory, "master.key");
        File.WriteAllText(keyFile, MasterKeyRing.Serialize("first", [("first", RandomNumberGenerator.GetBytes(32))]));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Settings = new Dictionary<string, string?>
        {
            ["Access:SuperAdminIds"] = SuperAdmin.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["KeyVault:KeyFile"] = keyFile,
            ["KeyVault:RotationBatchSize"] = "2",
            ["Logging:LogLevel:Default"] = "Trace",
        };
    }

    protected override IDictionary<string, string?> Settings { get; }

    public void Dispose()
    {
        Directory.Delete(_keyDirectory, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected override void OverrideServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(_logs);

    [Fact]
    public async Task A_trader_gets_one_wallet_sees_why_balances_are_unavailable_and_can_then_opt_in_to_live()
    {
        (await SayAsync(Trader, "/live on")).ShouldContain("it needs a wallet: create your wallet with /wallet first");

        var created = await SayAsync(Trader, "/wallet");
        created.ShouldStartWith("👛 Your EVM wallet was created.");
        created.ShouldContain("Balances unavailable: no EVM chain is configured on this deployment.");
        var address = Address().Match(created).Value;
        address.ShouldBe(EvmAddress.Parse(address).ToString());
        address.ShouldNotBe(address.ToLowerInvariant());

        var again = await SayAsync(Trader, "/wallet");
        again.ShouldStartWith("👛 Your EVM wallet\n");
        Address().Match(again).Value.ShouldBe(address);
        (await SayAsync(Trader, "/wallet extra")).ShouldContain("Usage: /wallet");

        // With a wallet the opt-in is accepted; this deployment still runs DRY (Trading__AllowLive=false).
        (await SayAsync(Trader, "/live on")).ShouldContain("You opted in to LIVE, but your orders still run DRY");
        await using var db = Database.CreateContext();
        (await db.Set<WalletEntity>().CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task Only_a_super_admin_rotates_keys_it_is_audited_and_wallets_keep_their_keys()
    {
        var address = Address().Match(await SayAsync(Trader, "/wallet")).Value;

        (await SayAsync(Trader, "/rotate_keys")).ShouldContain("needs the SuperAdmin role");
        (await SayAsync(SuperAdmin, "/rotate_keys")).ShouldContain("0 re-wrapped under master key first, 1 already current, 0 changed concurrently, 0 failed");

        var newKey = await Bot.Services.GetRequiredService<FileMasterKeyProvider>().AddNewCurrentKeyAsync(default);
        (await SayAsync(SuperAdmin, "/rotate_keys")).ShouldContain($"1 re-wrapped under master key {newKey}, 0 already current");

        Address().Match(await SayAsync(Trader, "/wallet")).Value.ShouldBe(address);
        await using var scope = Bot.Services.CreateAsyncScope();
        var wallet = (await scope.ServiceProvider.GetRequiredService<IWalletDirectory>().FindAsync(new(Trader), ChainFamily.Evm, default)).ShouldNotBeNull();
        (await scope.ServiceProvider.GetRequiredService<IKeyVault>().WithKeyAsync(wallet.Id, k => k.Address.ToString(), default)).ShouldBe(address);
        await using var db = Database.CreateContext();
        (await db.Set<WalletEntity>().SingleAsync()).MasterKeyId.ShouldBe(newKey);
        var audit = await db.AuditLog.Where(a => a.Command == "rotate_keys").OrderBy(a => a.Id).ToListAsync();
        audit.Select(a => a.ActorId).ShouldBe([Trader, SuperAdmin, SuperAdmin]);
        audit[0].Outcome.ShouldContain("denied");
        audit[2].Outcome.ShouldStartWith($"ok: 1 re-wrapped under master key {newKey}");
    }

    [Fact]
    public async Task No_private_key_data_key_or_master_key_appears_in_logs_replies_errors_or_the_audit_log()
    {
        long[] users = [Trader, 881002, 881003];
        var replies = new List<string>();
        foreach (var user in users)
        {
            replies.Add(await SayAsync(user, "/wallet"));
        }

        // Sign with each key through the vault (as the signer will), keeping the secrets only to search for them.
        var secrets = new List<byte[]>();
        await using (var scope = Bot.Services.CreateAsyncScope())
        {
            var vault = scope.ServiceProvider.GetRequiredService<IKeyVault>();
            foreach (var user in users)
            {
                var wallet = (await scope.ServiceProvider.GetRequiredService<IWalletDirectory>().FindAsync(new(user), ChainFamily.Evm, default)).ShouldNotBeNull();
                var (secret, verified) = await vault.WithKeyAsync(wallet.Id, key => SignAndVerify(key.ExportSecret()), default);
                verified.ShouldBeTrue();
                secrets.Add(secret);
            }
        }

        var newKey = await Bot.Services.GetRequiredService<FileMasterKeyProvider>().AddNewCurrentKeyAsync(default);
        replies.Add(await SayAsync(SuperAdmin, "/rotate_keys"));
        replies[^1].ShouldContain($"3 re-wrapped under master key {newKey}");

        // A decryption failure must name the wallet and nothing else.
        await using var db = Database.CreateContext();
        var tampered = await db.Set<WalletEntity>().FirstAsync();
        var tag = tampered.KeyTag.ToArray();
        tag[0] ^= 0xFF;
        tampered.KeyTag = tag; // a new array: EF compares blobs by reference
        await db.SaveChangesAsync();
        await using (var scope = Bot.Services.CreateAsyncScope())
        {
            var error = await Should.ThrowAsync<WalletKeyUnavailableException>(() =>
                scope.ServiceProvider.GetRequiredService<IKeyVault>().WithKeyAsync(new WalletId(tampered.Id), k => k.Address, default));
            error.Message.ShouldContain(new WalletId(tampered.Id).ToString());
            replies.Add(error.ToString());
        }

        replies.Add(await SayAsync(Trader, "/wallet"));
        secrets.AddRange(await DataAndMasterKeysAsync(db));
        var audit = await db.AuditLog.AsNoTracking().ToListAsync();
        var haystack = string.Join('\n', _logs.Lines.Concat(replies).Concat(audit.Select(a => $"{a.Command} {a.Arguments} {a.Outcome} {a.TraceId}")));

        secrets.Count.ShouldBe(3 + 3 + 2);
        _logs.Lines.ShouldContain(l => l.Contains("Wallet ", StringComparison.Ordinal) && l.Contains(" created for user ", StringComparison.Ordinal));
        _logs.Lines.ShouldContain(l => l.Contains("rotation finished", StringComparison.Ordinal));
        _logs.Lines.ShouldContain(l => l.Contains("could not be decrypted (PrivateKeyRejected)", StringComparison.Ordinal));
        foreach (var secret in secrets)
        {
            foreach (var form in Forms(secret))
            {
                haystack.Contains(form, StringComparison.Ordinal).ShouldBeFalse("key material leaked");
            }
        }
    }

    private static IEnumerable<string> Forms(byte[] secret)
    {
        var lower = Convert.ToHexStringLower(secret);
        var upper = Convert.ToHexString(secret);
        return [lower, upper, "0x" + lower, "0x" + upper, Convert.ToBase64String(secret), Convert.ToBase64String(secret).TrimEnd('=')];
    }

    /// <summary>The data keys, unwrapped with the master keys from the key file, and those master keys themselves.</summary>
    private async Task<List<byte[]>> DataAndMasterKeysAsync(VantaBotDbContext db)
    {
        var file = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Settings["KeyVault:KeyFile"]!));
        var masters = file.RootElement.GetProperty("keys").EnumerateArray()
            .ToDictionary(k => k.GetProperty("id").GetString()!, k => Convert.FromBase64String(k.GetProperty("key").GetString()!));
        var found = new List<byte[]>();
        foreach (var row in await db.Set<WalletEntity>().AsNoTracking().ToListAsync())
        {
            var master = new LocalMasterKey(row.MasterKeyId, masters[row.MasterKeyId]);
            found.Add(await master.UnwrapAsync(new WrappedDataKey(row.WrappedDataKey, row.DataKeyNonce, row.DataKeyTag), AesGcmEnvelope.DataKeyAssociatedData(new WalletId(row.Id), row.MasterKeyId), default));
        }

        found.AddRange(masters.Values);
        return found;
    }

    private static (byte[] Secret, bool Verified) SignAndVerify(byte[] secret)
    {
        var curve = Org.BouncyCastle.Asn1.Sec.SecNamedCurves.GetByName("secp256k1");
        var domain = new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H);
        var d = new Org.BouncyCastle.Math.BigInteger(1, secret);
        var hash = Keccak256.Hash("vantabot wallet test"u8.ToArray());
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, new ECPrivateKeyParameters(d, domain));
        var signature = signer.GenerateSignature(hash);
        var verifier = new ECDsaSigner();
        verifier.Init(false, new ECPublicKeyParameters(domain.G.Multiply(d).Normalize(), domain));
        return (secret, verifier.VerifySignature(hash, signature[0], signature[1]));
    }

    private async Task<string> SayAsync(long user, string text)
    {
        await Telegram.SendUserCommand(user, text);
        var replies = await Telegram.WaitForBotMessages(user, 1, TimeSpan.FromSeconds(15));
        replies.Count.ShouldBe(1, $"one reply to {text}");
        return replies[0].Text ?? "";
    }

    [GeneratedRegex("0x[0-9a-fA-F]{40}")]
    private static partial Regex Address();

    /// <summary>Every log line of every category and level, with exceptions and structured values.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull
            {
                owner.Lines.Enqueue($"{category} scope: {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : "";
                owner.Lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {values} {exception}");
            }
        }
    }
}

public sealed class SqliteWalletCommandsEndToEndTests() : WalletCommandsEndToEndTests(DatabaseProvider.Sqlite);

public sealed class PostgresWalletCommandsEndToEndTests() : WalletCommandsEndToEndTests(DatabaseProvider.Postgres);
