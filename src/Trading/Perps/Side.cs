namespace VantaBot.Trading.Perps;

public enum Side
{
    Long,
    Short,
}
