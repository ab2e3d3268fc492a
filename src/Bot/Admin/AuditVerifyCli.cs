using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VantaBot.Bot.Admin.Commands;
using VantaBot.Infrastructure.Persistence;

namespace VantaBot.Bot.Admin;

/// <summary>
/// <c>dotnet run --project src/Bot -- verify-audit</c>: checks the audit chain of the configured database and
/// exits 0 when intact, 1 when broken, 2 when it could not check (database unreachable or not migrated).
/// </summary>
public static class AuditVerifyCli
{
    public const string Verb = "verify-audit";

    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VantaBotDbContext>();
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToArray();
            if (pending.Length > 0)
            {
                await output.WriteLineAsync($"Cannot verify: the database is not migrated to this version (pending: {string.Join(", ", pending)}). Start the bot once to migrate it.");
                return 2;
            }

            var result = await scope.ServiceProvider.GetRequiredService<AuditChainVerifier>().VerifyAsync(cancellationToken);
            await output.WriteLineAsync(AuditVerifyCommand.Describe(result, int.MaxValue));
            return result.IsIntact ? 0 : 1;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            await output.WriteLineAsync($"Cannot verify: {DatabaseErrors.Describe(ex)}");
            return 2;
        }
    }
}
