using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using VantaBot.Infrastructure.Metrics;

namespace VantaBot.Bot.Health;

/// <summary>/healthz (the process is alive), /readyz (it can serve: 503 naming each failed check), /metrics.</summary>
public static class HealthEndpoints
{
    public const string ReadinessTag = "ready";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static IEndpointRouteBuilder MapOperatorEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadinessTag),
            ResponseWriter = WriteReadinessAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        app.MapGet("/metrics", (PrometheusExporter exporter) => Results.Text(exporter.Render(), PrometheusExporter.ContentType));
        return app;
    }

    private static Task WriteReadinessAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status == HealthStatus.Unhealthy ? "unready" : "ready",
            failed = report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).Select(e => e.Key).ToArray(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString().ToLowerInvariant(), detail = e.Value.Description }),
        };
        return http.Response.WriteAsync(JsonSerializer.Serialize(body, Json), http.RequestAborted);
    }
}
