using VantaBot.Trading.Gates;

namespace VantaBot.Trading.Execution;

/// <summary>Which trade actions a connected live venue can execute. DRY venues never count.</summary>
public interface ILiveVenues
{
    bool CanExecute(TradeAction action);
}

/// <summary>Today's deployments: the paper venues are the only venues.</summary>
public sealed class NoLiveVenues : ILiveVenues
{
    public bool CanExecute(TradeAction action) => false;
}
