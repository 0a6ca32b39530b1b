using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrderStream.Host;

/// <summary>
/// The body of <c>/health/ready</c>: the overall status and each check's with what it says (the database, the decision
/// engine's load, events set aside, delivery behind), so that an operator sees why an instance is degraded.
/// </summary>
internal static class ReadinessAnswer
{
    public static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(
            http.Response.Body,
            new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(
                    e => e.Key,
                    e => new { status = e.Value.Status.ToString(), description = e.Value.Description }
                ),
            },
            cancellationToken: http.RequestAborted
        );
    }
}
