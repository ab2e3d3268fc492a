using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VantaBot.Infrastructure.Evm.Rpc;

/// <summary>
/// Readiness of one chain: healthy when every endpoint answers with the configured chain id, degraded when some do,
/// unhealthy when none does. The detail lists each endpoint (redacted) and what it said.
/// </summary>
public sealed class EvmRpcHealthCheck(IEvmRpcClients clients, string chain) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var client = clients.Find(chain);
        if (client is null)
        {
            return HealthCheckResult.Unhealthy($"chain {chain} is not configured");
        }

        var probes = await client.ProbeEndpointsAsync(cancellationToken);
        var answering = probes.Count(p => p.Answers);
        var detail = $"{chain}: {answering}/{probes.Count} endpoints answer: {string.Join("; ", probes)}";
        return answering == probes.Count ? HealthCheckResult.Healthy(detail)
            : answering > 0 ? HealthCheckResult.Degraded(detail)
            : HealthCheckResult.Unhealthy(detail);
    }
}
