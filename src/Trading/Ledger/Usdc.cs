namespace VantaBot.Trading.Ledger;

/// <summary>
/// USDC amounts are decimals in the domain and whole micro-units (6 decimals, the token's own precision) in
/// storage, so sums and the available-balance check run as exact integer SQL on SQLite and PostgreSQL alike.
/// </summary>
public static class Usdc
{
    public const int Decimals = 6;

    private const decimal MicrosPerUnit = 1_000_000m;

    /// <summary>Rounds toward zero to the micro-unit: the ledger never credits a fraction it cannot hold.</summary>
    public static long ToMicros(decimal amount) => (long)decimal.Truncate(amount * MicrosPerUnit);

    public static decimal FromMicros(long micros) => micros / MicrosPerUnit;

    public static decimal Round(decimal amount) => FromMicros(ToMicros(amount));
}
