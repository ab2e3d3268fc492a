using System.Reflection;
using System.Security.Cryptography;

namespace VantaBot.Bot.Admin;

/// <summary>Who this process is among the instances sharing a database: host, pid and a random suffix.</summary>
public sealed class InstanceIdentity(TimeProvider time)
{
    public string Host { get; } = Environment.MachineName;

    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";

    public string Version { get; } = ReadVersion();

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    private static string ReadVersion()
    {
        var version = typeof(InstanceIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

        // The SDK appends "+<commit>"; keep it short enough for one status line.
        return version.Length <= 64 ? version : version[..64];
    }
}
