using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VantaBot.Infrastructure.KeyVault;
using VantaBot.Infrastructure.Persistence;

namespace VantaBot.Bot.Wallets;

/// <summary>
/// <c>dotnet run --project src/Bot -- rotate-keys [--new-key]</c>: with <c>--new-key</c> first adds a freshly
/// generated master key to the key file as current (File provider), then re-wraps every data key under the current
/// master key. Running bots keep serving throughout. Exits 0 when every row is current, 1 when some rows failed,
/// 2 when it could not run.
/// </summary>
public static class RotateKeysCli
{
    public const string Verb = "rotate-keys";

    public const string NewKeyFlag = "--new-key";

    /// <summary>Our own flags, removed before the rest reach the host's configuration.</summary>
    public static (bool NewKey, string[] HostArguments) Split(string[] arguments) =>
        (arguments.Contains(NewKeyFlag, StringComparer.Ordinal), arguments.Where(a => a != NewKeyFlag).ToArray());

    public static async Task<int> RunAsync(IServiceProvider services, bool newKey, TextWriter output, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VantaBotDbContext>();
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToArray();
            if (pending.Length > 0)
            {
                await output.WriteLineAsync($"Cannot rotate: the database is not migrated to this version (pending: {string.Join(", ", pending)}). Start the bot once to migrate it.");
                return 2;
            }

            if (newKey)
            {
                if (services.GetRequiredService<IOptions<KeyVaultOptions>>().Value.Provider != MasterKeyProviderKind.File)
                {
                    await output.WriteLineAsync($"Cannot add a key: {NewKeyFlag} works with KeyVault__Provider=File. With Environment, put the new key first in the variable, restart every instance, then run {Verb}.");
                    return 2;
                }

                var id = await services.GetRequiredService<FileMasterKeyProvider>().AddNewCurrentKeyAsync(cancellationToken);
                await output.WriteLineAsync($"Added master key {id} as current. Every instance must read the same key file before old keys are removed.");
            }

            var result = await scope.ServiceProvider.GetRequiredService<IKeyVault>().RotateAsync(cancellationToken);
            await output.WriteLineAsync($"Key rotation: {result.Describe()}.");
            return result.Failed == 0 ? 0 : 1;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            await output.WriteLineAsync($"Cannot rotate: {DatabaseErrors.Describe(ex)}");
            return 2;
        }
    }
}
