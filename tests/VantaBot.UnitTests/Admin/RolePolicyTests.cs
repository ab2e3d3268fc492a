using VantaBot.Bot.Admin;
using VantaBot.Trading.Users;

namespace VantaBot.UnitTests.Admin;

public sealed class RolePolicyTests
{
    private static readonly UserId Target = new(500);

    [Theory]
    // Admins manage Viewer, Trader and Operator — never Admin or SuperAdmin.
    [InlineData(Role.Admin, Role.Trader, Role.Operator, true)]
    [InlineData(Role.Admin, Role.Operator, Role.Viewer, true)]
    [InlineData(Role.Admin, null, Role.Trader, true)]
    [InlineData(Role.Admin, Role.Trader, Role.Admin, false)]
    [InlineData(Role.Admin, Role.Admin, Role.Trader, false)]
    [InlineData(Role.Admin, Role.Trader, Role.SuperAdmin, false)]
    // SuperAdmins also manage Admin, never SuperAdmin.
    [InlineData(Role.SuperAdmin, Role.Trader, Role.Admin, true)]
    [InlineData(Role.SuperAdmin, Role.Admin, Role.Operator, true)]
    [InlineData(Role.SuperAdmin, Role.Admin, Role.SuperAdmin, false)]
    // Lower roles manage nothing at all (the pipeline stops them earlier; the policy agrees).
    [InlineData(Role.Operator, Role.Viewer, Role.Trader, true)]
    [InlineData(Role.Operator, Role.Trader, Role.Operator, false)]
    [InlineData(Role.Trader, Role.Viewer, Role.Trader, false)]
    public void An_actor_changes_only_users_and_roles_below_their_own(Role actor, Role? targetCurrent, Role role, bool allowed)
    {
        var refusal = RolePolicy.Check(InMemoryRoles.User(1, actor), Target, targetCurrent, targetIsConfiguredSuperAdmin: false, role);
        (refusal is null).ShouldBe(allowed, refusal);
    }

    [Fact]
    public void Nobody_changes_their_own_role_or_a_configured_super_admin()
    {
        var super = InMemoryRoles.User(1, Role.SuperAdmin);
        RolePolicy.Check(super, super.Id, Role.SuperAdmin, false, Role.Admin).ShouldNotBeNull().ShouldContain("your own role");
        RolePolicy.Check(super, Target, Role.SuperAdmin, targetIsConfiguredSuperAdmin: true, Role.Trader).ShouldNotBeNull().ShouldContain("Access__SuperAdminIds");
    }

    [Fact]
    public void Granting_super_admin_names_where_it_comes_from()
    {
        RolePolicy.Check(InMemoryRoles.User(1, Role.SuperAdmin), Target, Role.Admin, false, Role.SuperAdmin).ShouldNotBeNull().ShouldContain("Access__SuperAdminIds only");
    }

    [Theory]
    [InlineData("viewer", true, Role.Viewer)]
    [InlineData("OPERATOR", true, Role.Operator)]
    [InlineData("Admin", true, Role.Admin)]
    [InlineData("3", false, Role.Viewer)]
    [InlineData("Root", false, Role.Viewer)]
    [InlineData("", false, Role.Viewer)]
    public void Roles_are_parsed_by_name_only(string text, bool parses, Role expected)
    {
        RolePolicy.TryParseRole(text, out var role).ShouldBe(parses);
        if (parses)
        {
            role.ShouldBe(expected);
        }
    }

    [Theory]
    [InlineData(new[] { "5", "Trader" }, Role.Admin)]
    [InlineData(new[] { "5", "operator" }, Role.Admin)]
    [InlineData(new[] { "5", "admin" }, Role.SuperAdmin)]
    [InlineData(new[] { "5", "SuperAdmin" }, Role.SuperAdmin)]
    [InlineData(new[] { "5" }, Role.Admin)]
    public void Managing_admin_or_above_needs_a_super_admin(string[] arguments, Role required) =>
        RolePolicy.RequiredToManage(arguments).ShouldBe(required);

    [Fact]
    public void A_stored_super_admin_not_in_configuration_counts_as_admin()
    {
        RolePolicy.Effective(Role.SuperAdmin, isConfiguredSuperAdmin: false).ShouldBe(Role.Admin);
        RolePolicy.Effective(Role.Trader, isConfiguredSuperAdmin: true).ShouldBe(Role.SuperAdmin);
        RolePolicy.Effective(Role.Operator, isConfiguredSuperAdmin: false).ShouldBe(Role.Operator);
    }
}
