using VantaBot.IntegrationTests.Support;

namespace VantaBot.IntegrationTests.Evm.Swaps;

/// <summary>The chat steps every LIVE swap test takes: the super-admin switches the deployment to LIVE, a user asks and is answered once.</summary>
public static class SwapChat
{
    public static async Task SwitchToLiveAsync(TelegramEmulator telegram, long superAdmin)
    {
        await telegram.SendUserCommand(superAdmin, "/execution_mode LIVE");
        var card = (await telegram.WaitForBotMessages(superAdmin, 1, TimeSpan.FromSeconds(30))).ShouldHaveSingleItem();
        var tap = card.Buttons.Single(b => b.CallbackData!.StartsWith("golive:", StringComparison.Ordinal)).CallbackData!;
        await telegram.SendUserCallback(superAdmin, card.MessageId, tap);
        await telegram.WaitForBotMessages(superAdmin, 1, TimeSpan.FromSeconds(10));
        (await SayAsync(telegram, superAdmin, "/system_status")).ShouldContain("LIVE");
    }

    public static async Task<string> SayAsync(TelegramEmulator telegram, long user, string text)
    {
        await telegram.SendUserCommand(user, text);
        var replies = await telegram.WaitForBotMessages(user, 1, TimeSpan.FromSeconds(30));
        replies.Count.ShouldBe(1, $"one reply to {text}");
        return replies[0].Text ?? "";
    }

    /// <summary>The wallet address /wallet shows on its second line.</summary>
    public static async Task<string> WalletAsync(TelegramEmulator telegram, long user) =>
        (await SayAsync(telegram, user, "/wallet")).Split('\n')[1].Trim();
}
