using Microsoft.Extensions.DependencyInjection;
using VantaBot.Infrastructure.Persistence;
using VantaBot.IntegrationTests.Support;
using VantaBot.Trading.Users;

namespace VantaBot.IntegrationTests.Admin;

public sealed class AllowListTests() : EmulatorBotTest(DatabaseProvider.Sqlite)
{
    protected override IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Access:AllowList"] = "501,502",
        ["Access:SuperAdminIds"] = "9000",
    };

    [Fact]
    public async Task A_user_not_on_the_allow_list_is_told_so_and_nothing_else_happens()
    {
        var driver = new PipelineDriver(Bot);

        (await driver.SayAsync(600, "/start")).ShouldHaveSingleItem().ShouldContain("not on its allow list");
        (await driver.SayAsync(600, "/deposit 100")).ShouldHaveSingleItem().ShouldContain("not on its allow list");
        await using (var scope = Bot.Services.CreateAsyncScope())
        {
            (await scope.ServiceProvider.GetRequiredService<IUserDirectory>().FindAsync(new UserId(600), default)).ShouldBeNull();
        }

        (await driver.SayAsync(501, "/start")).ShouldHaveSingleItem().ShouldContain("Welcome to VantaBot");
        (await driver.SayAsync(9000, "/start")).ShouldHaveSingleItem().ShouldContain("Your role: SuperAdmin");
    }
}
