using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VantaBot.Bot;
using VantaBot.Bot.Admin;
using VantaBot.Bot.Wallets;

try
{
    var verifyAudit = args is [AuditVerifyCli.Verb, ..];
    var rotateKeys = args is [RotateKeysCli.Verb, ..];
    var (newKey, rotateArgs) = rotateKeys ? RotateKeysCli.Split(args[1..]) : (false, []);
    var app = BotApplication.Build(verifyAudit ? args[1..] : rotateKeys ? rotateArgs : args);

    // Validate before the host starts, so a bad setting yields our one-line messages instead of a host crash log.
    app.Services.GetRequiredService<IStartupValidator>().Validate();
    if (verifyAudit)
    {
        // A one-shot check for operators and cron: the host (transports, jobs) never starts.
        return await AuditVerifyCli.RunAsync(app.Services, Console.Out, CancellationToken.None);
    }

    if (rotateKeys)
    {
        // One-shot for operators: re-wraps data keys while running bots keep serving from the same database.
        return await RotateKeysCli.RunAsync(app.Services, newKey, Console.Out, CancellationToken.None);
    }

    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    // One line per bad setting, each naming it, then stop: a half-configured trading bot must not run.
    foreach (var failure in ex.Failures)
    {
        await Console.Error.WriteLineAsync($"Configuration error: {failure}");
    }

    return 2;
}
catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
{
    await Console.Error.WriteLineAsync($"Configuration error: {ex.Message.Replace(":", "__", StringComparison.Ordinal)} {ex.InnerException?.Message}");
    return 2;
}
