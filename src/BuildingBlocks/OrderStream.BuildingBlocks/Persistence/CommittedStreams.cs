using Marten;
using Marten.Services;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrderStream.BuildingBlocks.Persistence;

/// <summary>
/// Tells in-memory read models (the Roles module's decision engine) which event streams a commit touched: at once for a
/// commit on this instance, and within moments for a commit on any other instance of the service on the same database,
/// through PostgreSQL NOTIFY sent inside the committing transaction (so a notification exists exactly when the commit
/// does). <see cref="Resynchronise"/> is raised when notifications may have been missed (the listening connection
/// broke): anything cached must then be reloaded. Subscribers must be quick: they run on the committing request's
/// thread.
/// </summary>
public sealed class CommittedStreams : DocumentSessionListenerBase
{
    public const string Channel = "orderstream_commits";
    private const int IdsPerNotification = 150; // PostgreSQL limits a payload to 8,000 bytes

    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    public event Action<string, IReadOnlyList<Guid>>? Committed;

    public event Action? Resynchronise;

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Done once this instance first listens for other instances' commits (and has raised the resync that follows): a
    /// cache loaded after that misses no commit, one loaded before it is thrown away by that resync.
    /// </summary>
    public Task Listening => _listening.Task;

    private long _deafSinceTicks = DateTimeOffset.UtcNow.UtcTicks;

    /// <summary>
    /// Since when this instance has not heard other instances' commits (null while it hears them): until it listens
    /// again and reloads, its in-memory read models may answer as of that moment (issue #22: readiness and metrics).
    /// </summary>
    public DateTimeOffset? DeafSince =>
        Interlocked.Read(ref _deafSinceTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public CommittedStreams() => Telemetry.ObserveEngineStaleness(this);

    /// <summary>The listening connection broke (the first moment counts, not each retry).</summary>
    internal void Deaf(DateTimeOffset at) => Interlocked.CompareExchange(ref _deafSinceTicks, at.UtcTicks, 0);

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        var streams = session.PendingChanges.Streams().Select(s => s.Id).ToList();
        foreach (var chunk in streams.Chunk(IdsPerNotification))
            session.QueueSqlCommand(
                "select pg_notify(?, ?)",
                Channel,
                $"{InstanceId}|{session.TenantId}|{string.Join(',', chunk)}"
            );
        return Task.CompletedTask;
    }

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        var streams = commit.GetStreams().Select(s => s.Id).ToList();
        if (streams.Count > 0)
            Committed?.Invoke(session.TenantId, streams);
        return Task.CompletedTask;
    }

    /// <summary>A notification from another instance (this instance's own were handled after its commit).</summary>
    internal void Received(string payload)
    {
        var parts = payload.Split('|', 3);
        if (parts.Length != 3 || parts[0] == InstanceId)
            return;
        Committed?.Invoke(
            parts[1],
            parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse).ToList()
        );
    }

    internal void Resynchronised()
    {
        Resynchronise?.Invoke();
        Interlocked.Exchange(ref _deafSinceTicks, 0);
        _listening.TrySetResult();
    }
}

/// <summary>
/// Listens for other instances' commits on one dedicated connection; reconnects (and asks for a resync) when it breaks.
/// </summary>
internal sealed class CommitNotificationListener(
    NpgsqlDataSource db,
    CommittedStreams streams,
    ILogger<CommitNotificationListener> logger
) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await db.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, n) => streams.Received(n.Payload);
                await using (var listen = new NpgsqlCommand($"listen {CommittedStreams.Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                // Whatever was committed while not listening is unknown: caches start over from the database.
                streams.Resynchronised();
                delay = TimeSpan.FromMilliseconds(200);
                while (!stoppingToken.IsCancellationRequested)
                    await connection.WaitAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                streams.Deaf(DateTimeOffset.UtcNow);
                logger.LogWarning(
                    Errors.LoggedException.Safe(e),
                    "Listening for other instances' commits failed; retrying in {Delay}",
                    delay
                );
                await Task.Delay(delay, stoppingToken);
                // At most a second: until it listens again, other instances' commits reach this one only by resync.
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1_000));
            }
        }
    }
}
