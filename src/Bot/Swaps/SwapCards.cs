using Microsoft.Extensions.Options;
using VantaBot.Bot.Commands;
using VantaBot.Trading.Swaps;

namespace VantaBot.Bot.Swaps;

/// <summary>A swap waiting for the trader's tap: the previewed quote and the wallet it was checked against.</summary>
public sealed record SwapCard(SwapPreview Preview, string WalletAddress);

/// <summary>Swap cards, tappable for <see cref="SwapOptions.ConfirmationTtl"/>, once, by the trader who asked.</summary>
public sealed class SwapCards(TimeProvider time, IOptions<SwapOptions> options)
    : PendingCards<SwapCard>(time, () => options.Value.ConfirmationTtl, card => card.Preview.Order.User);
