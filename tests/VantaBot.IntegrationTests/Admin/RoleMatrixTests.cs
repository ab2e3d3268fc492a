using Microsoft.Extensions.DependencyInjection;
using VantaBot.Bot.Pipeline;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Admin;

/// <summary>DESIGN.md's role matrix on the real bot: every admin command tried by every lower role is refused and audited, and changes nothing.</summary>
public sealed class RoleMatrixTests() : EmulatorBotTest(DatabaseProvider.Sqlite)
{
    private const long SuperAdmin = 9000;
    private const long Target = 700;

    /// <summary>Command line → the lowest role DESIGN.md lets run it.</summary>
    public static readonly IReadOnlyList<(string Text, Role Required)> Matrix =
    [
        ("/start", Role.Viewer), ("/help", Role.Viewer), ("/price ETH", Role.Viewer), ("/positions", Role.Viewer), ("/balance", Role.Viewer),
        ("/long ETH 100 10x", Role.Trader), ("/short ETH 100 10x", Role.Trader), ("/deposit 100", Role.Trader), ("/live on", Role.Trader),
        ("/system_status", Role.Operator), ("/risk_summary", Role.Operator),
        ("/emergency_stop test", Role.Admin), ("/maintenance_mode on test", Role.Admin), ("/execution_mode DRY", Role.Admin), ("/execution_mode", Role.Admin),
        ($"/grant {Target} Viewer", Role.Admin), ($"/grant {Target} Trader", Role.Admin), ($"/grant {Target} Operator", Role.Admin),
        ($"/revoke {Target} Trader", Role.Admin), ($"/revoke {Target} Operator", Role.Admin),
        ("/audit 5", Role.Admin), ("/audit_verify", Role.Admin),
        ("/emergency_resume", Role.SuperAdmin), ("/execution_mode LIVE", Role.SuperAdmin),
        ($"/grant {Target} Admin", Role.SuperAdmin), ($"/revoke {Target} Admin", Role.SuperAdmin), ($"/grant {Target} SuperAdmin", Role.SuperAdmin),
    ];

    protected override IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?> { ["Access:SuperAdminIds"] = SuperAdmin.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    [Fact]
    public void The_catalog_requires_exactly_the_roles_of_the_design_matrix()
    {
        var catalog = Bot.Services.GetRequiredService<CommandCatalog>();
        foreach (var (text, required) in Matrix)
        {
            CommandLine.TryParse(text, out var command).ShouldBeTrue();
            var info = catalog.Find(command!.Name).ShouldNotBeNull(text);
            info.RequiredRole(command.Arguments).ShouldBe(required, text);
        }
    }

    [Fact]
    public async Task Every_admin_command_from_every_lower_role_is_refused_audited_and_changes_nothing()
    {
        var driver = new PipelineDriver(Bot);
        await driver.SetRoleAsync(Target, Role.Trader);
        long nextUser = 100;
        var tried = 0;
        foreach (var (text, required) in Matrix.Where(m => m.Required >= Role.Operator || m.Text.StartsWith("/live", StringComparison.Ordinal)))
        {
            foreach (var role in Enum.GetValues<Role>().Where(r => r < required))
            {
                var user = nextUser++;
                await driver.SetRoleAsync(user, role);
                var state = await driver.StateAsync();
                var auditBefore = (await driver.AuditAsync()).Count;

                var replies = await driver.SayAsync(user, text);

                var reply = replies.ShouldHaveSingleItem($"{text} as {role}");
                reply.ShouldStartWith("⛔ /", customMessage: $"{text} as {role}");
                reply.ShouldContain($"needs the {required} role; you are {role}", customMessage: text);
                var audit = await driver.AuditAsync();
                audit.Count.ShouldBe(auditBefore + 1, $"{text} as {role}");
                var row = audit[^1];
                row.ActorId.ShouldBe(user);
                row.ActorRole.ShouldBe(role.ToString());
                row.Outcome.ShouldBe($"denied: needs {required}");
                row.TraceId.Length.ShouldBe(32);
                (await driver.StateAsync()).ShouldBe(state, $"{text} as {role} changed something");
                tried++;
            }
        }

        tried.ShouldBeGreaterThan(40);
    }

    [Fact]
    public async Task Grant_and_revoke_stay_within_the_granters_powers()
    {
        var driver = new PipelineDriver(Bot);
        const long admin = 800, otherAdmin = 801;
        await driver.SetRoleAsync(admin, Role.Admin);
        await driver.SetRoleAsync(otherAdmin, Role.Admin);
        await driver.SetRoleAsync(Target, Role.Trader);

        (await driver.SayAsync(admin, $"/grant {Target} Operator")).ShouldContain(r => r.Contains("Trader → Operator", StringComparison.Ordinal));
        (await driver.StoredRoleAsync(Target)).ShouldBe(Role.Operator);

        // The pipeline stops an Admin granting Admin before the handler runs.
        (await driver.SayAsync(admin, $"/grant {Target} Admin")).ShouldHaveSingleItem().ShouldContain("needs the SuperAdmin role");
        (await driver.StoredRoleAsync(Target)).ShouldBe(Role.Operator);

        // An Admin cannot demote another Admin, nor themselves.
        (await driver.SayAsync(admin, $"/revoke {otherAdmin} Operator")).ShouldHaveSingleItem().ShouldContain("is Admin, not below you");
        (await driver.SayAsync(admin, $"/grant {otherAdmin} Trader")).ShouldHaveSingleItem().ShouldContain("not below you");
        (await driver.SayAsync(admin, $"/grant {admin} Trader")).ShouldHaveSingleItem().ShouldContain("your own role");
        (await driver.StoredRoleAsync(otherAdmin)).ShouldBe(Role.Admin);
        (await driver.StoredRoleAsync(admin)).ShouldBe(Role.Admin);

        // Nobody grants SuperAdmin, not even a SuperAdmin; a configured SuperAdmin is out of reach.
        (await driver.SayAsync(SuperAdmin, $"/grant {Target} SuperAdmin")).ShouldHaveSingleItem().ShouldContain("Access__SuperAdminIds only");
        (await driver.SayAsync(admin, $"/grant {SuperAdmin} Viewer")).ShouldHaveSingleItem().ShouldContain("configured super-admin");

        // A SuperAdmin grants and revokes Admin; revoking drops one role.
        (await driver.SayAsync(SuperAdmin, $"/grant {Target} Admin")).ShouldContain(r => r.Contains("Operator → Admin", StringComparison.Ordinal));
        (await driver.SayAsync(SuperAdmin, $"/revoke {Target} Admin")).ShouldContain(r => r.Contains("Admin → Operator", StringComparison.Ordinal));
        (await driver.StoredRoleAsync(Target)).ShouldBe(Role.Operator);

        // Bad input changes nothing and says the right form.
        (await driver.SayAsync(admin, "/grant 12ab Trader")).ShouldHaveSingleItem().ShouldContain("Usage: /grant <telegram_id> <role>");
        (await driver.SayAsync(admin, $"/revoke {Target} Viewer")).ShouldHaveSingleItem().ShouldContain("is Operator, not Viewer");

        // A user never seen before can be pre-provisioned.
        (await driver.SayAsync(admin, "/grant 4242 Operator")).ShouldContain(r => r.Contains("new → Operator", StringComparison.Ordinal));
        (await driver.StoredRoleAsync(4242)).ShouldBe(Role.Operator);

        // Every attempt above left a row: allowed, refused by the handler, or denied by the pipeline.
        var audit = await driver.AuditAsync();
        audit.Count(a => a.Command is "grant" or "revoke").ShouldBe(12);
        audit.ShouldContain(a => a.Command == "grant" && a.Outcome.StartsWith("refused: you cannot change your own role", StringComparison.Ordinal));
        audit.ShouldContain(a => a.Command == "grant" && a.Outcome == "denied: needs SuperAdmin");
    }

    [Fact]
    public async Task Maintenance_answers_non_admins_with_its_message_and_admins_keep_access()
    {
        var driver = new PipelineDriver(Bot);
        const long trader = 300, op = 301;
        await driver.SetRoleAsync(trader, Role.Trader);
        await driver.SetRoleAsync(op, Role.Operator);

        (await driver.SayAsync(SuperAdmin, "/maintenance_mode on Upgrading, back at 14:00")).ShouldHaveSingleItem().ShouldContain("Maintenance mode on");
        (await driver.SayAsync(trader, "/price ETH")).ShouldHaveSingleItem().ShouldBe("⏸ Upgrading, back at 14:00");
        (await driver.SayAsync(op, "/system_status")).ShouldHaveSingleItem().ShouldBe("⏸ Upgrading, back at 14:00");
        (await driver.SayAsync(SuperAdmin, "/price ETH")).ShouldHaveSingleItem().ShouldContain("ETH/USD");

        (await driver.SayAsync(SuperAdmin, "/maintenance_mode off")).ShouldHaveSingleItem().ShouldContain("off");
        (await driver.SayAsync(trader, "/price ETH")).ShouldHaveSingleItem().ShouldContain("ETH/USD");
    }

    [Fact]
    public async Task Live_opt_in_is_refused_naming_the_missing_wallet_and_live_mode_needs_allow_live()
    {
        var driver = new PipelineDriver(Bot);
        const long trader = 310;
        await driver.SetRoleAsync(trader, Role.Trader);

        (await driver.SayAsync(trader, "/live on")).ShouldHaveSingleItem().ShouldContain("needs a wallet: create your wallet with /wallet first");
        (await driver.SayAsync(trader, "/live")).ShouldHaveSingleItem().ShouldContain("DRY (paper)");
        (await driver.SayAsync(SuperAdmin, "/execution_mode LIVE")).ShouldHaveSingleItem().ShouldContain("Trading__AllowLive=false");
        (await driver.SayAsync(SuperAdmin, "/execution_mode")).ShouldHaveSingleItem().ShouldContain("Execution mode: DRY");
        (await driver.AuditAsync()).ShouldContain(a => a.Command == "live" && a.Outcome == "refused: no wallet");
    }

    [Fact]
    public async Task Status_risk_and_audit_reports_answer_an_operator_and_an_admin()
    {
        var driver = new PipelineDriver(Bot);
        const long op = 320;
        await driver.SetRoleAsync(op, Role.Operator);

        var status = (await driver.SayAsync(op, "/system_status")).ShouldHaveSingleItem();
        status.ShouldContain("Execution mode: DRY");
        status.ShouldContain("Emergency stop: off");
        status.ShouldContain("Maintenance: off");
        status.ShouldContain("database ✓");
        status.ShouldContain("Prices: ");
        (await driver.SayAsync(op, "/risk_summary")).ShouldHaveSingleItem().ShouldContain("Max position per user and pair: 100,000.00 USD");

        var audit = (await driver.SayAsync(SuperAdmin, "/audit 3")).ShouldHaveSingleItem();
        audit.ShouldContain("/risk_summary");
        audit.ShouldContain($"user {op} (Operator)");
        (await driver.SayAsync(SuperAdmin, "/audit_verify")).ShouldHaveSingleItem().ShouldStartWith("✅ Audit log intact");
        (await driver.SayAsync(SuperAdmin, "/audit 0")).ShouldHaveSingleItem().ShouldContain("Usage: /audit [n]");
    }
}
