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

    // Under a stream of commits the agent would poll back to back: at most one look per interval keeps it cheap.
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(50);
    private long _lastWake;

    public async Task WaitAsync(TimeSpan timeout, CancellationToken token)
    {
        var since = System.Diagnostics.Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastWake));
        if (since < Spacing)
            await Task.Delay(Spacing - since, token);
        await _signal.WaitAsync(timeout, token);
        Interlocked.Exchange(ref _lastWake, System.Diagnostics.Stopwatch.GetTimestamp());
    }

    // The semaphore holds no wait handle (AvailableWaitHandle is never asked for): stopping the wakes is enough.
    public void Dispose() => _streams.Committed -= Pulse;
}
