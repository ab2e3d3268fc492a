namespace VantaBot.Trading.Users;

public sealed record BotUser(UserId Id, string DisplayName, Role Role, DateTimeOffset CreatedAt);
