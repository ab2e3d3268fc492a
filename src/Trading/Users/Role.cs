namespace VantaBot.Trading.Users;

/// <summary>Roles in ascending power; a role may do everything the roles below it may.</summary>
public enum Role
{
    Viewer = 0,
    Trader = 1,
    Operator = 2,
    Admin = 3,
    SuperAdmin = 4,
}
