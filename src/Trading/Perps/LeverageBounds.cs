namespace VantaBot.Trading.Perps;

/// <summary>Inclusive leverage range of one pair group at the venue.</summary>
public sealed record LeverageBounds(decimal Min, decimal Max)
{
    public bool Contains(decimal leverage) => leverage >= Min && leverage <= Max;

    public override string ToString() => $"{Min:0.##}–{Max:0.##}x";
}
