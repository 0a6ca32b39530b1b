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

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(
            _done
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("Loading the tenants into the decision engine.")
        );

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
