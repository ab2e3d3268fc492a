using Microsoft.Extensions.Diagnostics.HealthChecks;
using VantaBot.Bot.Transports;

namespace VantaBot.Bot.Health;

public sealed class TransportHealthCheck(TransportStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.IsConnected
            ? HealthCheckResult.Healthy($"{status.Kind} connected")
            : HealthCheckResult.Unhealthy($"{status.Kind}: {status.LastError}"));
}
