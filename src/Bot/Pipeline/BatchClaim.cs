using VantaBot.Bot.Telegram.Api;

namespace VantaBot.Bot.Pipeline;

/// <summary>
/// What <see cref="UpdatePipeline.ClaimInOrderAsync"/> claimed: the updates to handle (duplicates left out), and the
/// index of the first update it could not try to claim (the batch's length when every claim was tried).
/// </summary>
public sealed record BatchClaim(IReadOnlyList<TelegramUpdate> Claimed, int Unclaimed);
