using VantaBot.Trading.Users;

namespace VantaBot.Infrastructure.Persistence.Entities;

public sealed class UserEntity
{
    public UserId Id { get; set; }

    public string DisplayName { get; set; } = "";

    public Role Role { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public BotUser ToDomain() => new(Id, DisplayName, Role, CreatedAt);
}
