namespace VantaBot.Bench.Load;

/// <summary>
/// The realistic command mix a simulated user sends, and the one open position per user it closes, shared by the
/// in-process harness and the one through the Telegram emulator so both measure the same workload.
/// </summary>
internal static class CommandMix
{
    private static readonly string[] Pairs = ["ETH", "BTC", "SOL"];

    // Weights out of 100: reads dominate a trading chat; opens and closes are a third of it.
    private static readonly (string Command, int Weight)[] Weights =
    [
        ("price", 20), ("balance", 15), ("positions", 15), ("pnl", 10), ("deposit", 5),
        ("long", 10), ("short", 10), ("close", 15),
    ];

    /// <summary>A command of the mix, drawn by its weight.</summary>
    public static string PickMixed(Random random)
    {
        var roll = random.Next(100);
        foreach (var (command, weight) in Weights)
        {
            if (roll < weight)
            {
                return command;
            }

            roll -= weight;
        }

        return "price";
    }

    /// <summary>Opens only: the DRY order path.</summary>
    public static string PickOrder(Random random) => random.Next(2) == 0 ? "long" : "short";

    /// <summary>
    /// The text a user types for <paramref name="command"/>: a close names the user's newest open position, and
    /// becomes a long when they have none.
    /// </summary>
    public static (string Command, string Text) Compose(string command, Random random, IReadOnlyList<string> openPositions)
    {
        var pair = Pairs[random.Next(Pairs.Length)];
        var text = command switch
        {
            "price" => $"/price {pair}",
            "balance" => "/balance",
            "positions" => "/positions",
            "pnl" => "/pnl 7d",
            "deposit" => "/deposit 100",
            "long" => $"/long {pair} 20 5x",
            "short" => $"/short {pair} 20 5x",
            "close" when openPositions.Count > 0 => $"/close {openPositions[^1]}",
            _ => $"/long {pair} 20 5x",
        };
        return (command == "close" && openPositions.Count == 0 ? "long" : command, text);
    }

    /// <summary>Keeps a user's open positions in step with the reply to <paramref name="command"/>.</summary>
    public static void Track(List<string> openPositions, string command, string outcome, string? openedPositionId)
    {
        if (command is "long" or "short" && openedPositionId is { } id)
        {
            openPositions.Add(id);
        }
        else if (command == "close" && outcome == "closed")
        {
            openPositions.RemoveAt(openPositions.Count - 1);
        }
    }
}
