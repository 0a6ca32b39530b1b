using JasperFx.Events.Daemon.HighWater;

namespace OrderStream.BuildingBlocks.Persistence;

/// <summary>
/// Wakes the async daemon's high-water agent at every commit this instance hears of (its own, and other instances'
/// through <see cref="CommittedStreams"/>), so integration events reach the other modules within moments of the commit
/// rather than at the next poll (up to a second when idle, issue #23). Polling stays as the safety net: a missed wake
/// costs one polling interval, never an event.
/// </summary>
public sealed class CommitWakeup : IDaemonWakeup
{
    // Sticky: a commit between two waits still wakes the next one.
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly CommittedStreams _streams;

    public CommitWakeup(CommittedStreams streams)
    {
        _streams = streams;
        _streams.Committed += Pulse;
    }

    private void Pulse(string tenant, IReadOnlyList<Guid> streams)
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the next wait returns at once.
        }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken token) => await _signal.WaitAsync(timeout, token);

    // The semaphore holds no wait handle (AvailableWaitHandle is never asked for): stopping the wakes is enough.
    public void Dispose() => _streams.Committed -= Pulse;
}
