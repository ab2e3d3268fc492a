using VantaBot.Trading.Users;

namespace VantaBot.Trading.Audit;

/// <summary>What happened, by whom, with which outcome. Arguments must already be free of secrets.</summary>
public sealed record AuditRecord(UserId? Actor, Role? ActorRole, string Command, string Arguments, string Outcome, string TraceId);
