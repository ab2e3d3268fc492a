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

/// <summary>A trade action a connected live venue executes; each live venue's registration adds its own.</summary>
public sealed record LiveVenueCapability(TradeAction Action);

/// <summary>The live venues this deployment registered: an action is LIVE-capable when one of them declared it.</summary>
public sealed class RegisteredLiveVenues(IEnumerable<LiveVenueCapability> capabilities) : ILiveVenues
{
    private readonly HashSet<TradeAction> _actions = capabilities.Select(c => c.Action).ToHashSet();

    public bool CanExecute(TradeAction action) => _actions.Contains(action);
}
