using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.BuildingBlocks.TimeBoxes;

/// <summary>
/// Records the lapse of time-boxed grants as events, so that it shows in the audit log and the user's history.
/// Decisions do not wait for it: they honour <c>validUntil</c> to the instant; this only writes down, shortly after,
/// what happened then (the event says the instant it lapsed). Every tenant is swept every
/// <c>TimeBoxes:PollMilliseconds</c> (5 s).
/// </summary>
public abstract class LapseSweeper(
    IDocumentStore store,
    TimeProvider clock,
    IConfiguration configuration,
    ILogger logger
) : BackgroundService
{
    public const string Actor = "system:time-boxes";

    /// <summary>
    /// Appends the lapses due at <paramref name="now"/> to the tenant's session, which the sweeper then commits.
    /// </summary>
    protected abstract Task RecordAsync(IDocumentSession session, DateTimeOffset now, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = configuration.GetValue("TimeBoxes:PollMilliseconds", 5000);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                List<string> tenants;
                await using (var query = store.QuerySession())
                    tenants = [.. await query.Query<Tenant>().Select(t => t.Id).ToListAsync(stoppingToken)];
                foreach (var tenant in tenants)
                {
                    await using var session = store.LightweightSession(tenant);
                    session.LastModifiedBy = Actor;
                    await RecordAsync(session, clock.GetUtcNow(), stoppingToken);
                    await session.SaveChangesAsync(stoppingToken);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(
                    Errors.LoggedException.Safe(e),
                    "Recording lapsed time-boxed grants failed; trying again shortly"
                );
            }
            // Real time, not the injected clock: tests move that clock, and the sweep must keep running meanwhile.
            try
            {
                await Task.Delay(poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
