using JasperFx.Events.Daemon;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrderStream.BuildingBlocks.Events;

/// <summary>
/// Marten pauses the delivery agent when a page's progress cannot be committed (PostgreSQL stopped mid-page) and
/// leaves it paused: every event after it waited for a restart of the service (issue #22). Once a second, a paused
/// agent is started again; it resumes from its stored progress, so the page is handed over again (handlers are
/// idempotent) and nothing is skipped.
/// </summary>
internal sealed class DeliverySupervisor(
    Marten.Events.Daemon.Coordination.IProjectionCoordinator coordinator,
    ILogger<DeliverySupervisor> logger
) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var daemon = coordinator.DaemonForMainDatabase();
                foreach (var agent in daemon.CurrentAgents().Where(a => a.Status == JasperFx.AgentStatus.Paused))
                {
                    logger.LogWarning("Event delivery {Shard} was paused by an error; starting it again", agent.Name);
                    await daemon.StartAgentAsync(agent.Name.Identity, stoppingToken);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(Errors.LoggedException.Safe(e), "Event delivery could not be started again yet");
            }
        }
    }
}
