using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Roles.Decisions;

/// <summary>
/// Loads every tenant into the decision engine at start-up, and keeps the instance out of readiness until it has: the
/// first decision after a deploy is then answered from memory, not after a whole tenant's load (about a second for
/// 20,000 users). A tenant that fails to load is logged and left to load on its first decision, as tenants created
/// later do.
/// </summary>
internal sealed class EngineWarmUp(
    IDocumentStore store,
    AccessEngine engine,
    CommittedStreams committed,
    ILogger<EngineWarmUp> logger
) : BackgroundService, IHealthCheck
{
    private volatile bool _done;

    /// <summary>
    /// Not ready while loading, or when the engine has not heard other instances' commits for more than a second (its
    /// decisions may then be stale: issue #22 asks every instance to be right within a second of any commit).
    /// </summary>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (!_done)
            return Task.FromResult(HealthCheckResult.Unhealthy("Loading the tenants into the decision engine."));
        if (committed.DeafSince is not { } since)
            return Task.FromResult(
                HealthCheckResult.Healthy($"{engine.LoadedTenants} tenant(s) loaded; hearing other instances' commits.")
            );
        var deaf = DateTimeOffset.UtcNow - since;
        var description =
            $"Not hearing other instances' commits for {deaf.TotalSeconds:F1} s: decisions may be that stale until "
            + "it listens again and reloads.";
        return Task.FromResult(
            deaf > TimeSpan.FromSeconds(1)
                ? HealthCheckResult.Unhealthy(description)
                : HealthCheckResult.Degraded(description)
        );
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await committed.Listening.WaitAsync(stoppingToken);
            await using var platform = store.QuerySession();
            foreach (
                var tenant in await platform
                    .Query<Tenant>()
                    .OrderBy(t => t.Id)
                    .Select(t => t.Id)
                    .ToListAsync(stoppingToken)
            )
            {
                var watch = Stopwatch.StartNew();
                try
                {
                    var access = await engine.TenantAsync(tenant, stoppingToken);
                    logger.LogInformation(
                        "Tenant {Tenant} loaded into the decision engine at start-up: {Users} users, {Roles} roles in "
                            + "{Milliseconds} ms",
                        tenant,
                        access.Users.Count(),
                        access.Roles.Count(),
                        watch.ElapsedMilliseconds
                    );
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(
                        OrderStream.BuildingBlocks.Errors.LoggedException.Safe(e),
                        "Tenant {Tenant} was not loaded into the decision engine at start-up; its first decision will "
                            + "load it",
                        tenant
                    );
                }
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(
                OrderStream.BuildingBlocks.Errors.LoggedException.Safe(e),
                "The tenants were not loaded into the decision engine at start-up; each loads on its first decision"
            );
        }
        finally
        {
            _done = true;
        }
    }
}
