using Marten;
using Marten.Services;

namespace OrderStream.BuildingBlocks.Persistence;

/// <summary>
/// Tells in-memory read models (the Roles module's decision engine) which event streams a commit on this instance touched,
/// right after the commit, so that they never answer from state older than a change the same instance has just made.
/// Subscribers must be quick: they run on the committing request's thread.
/// </summary>
public sealed class CommittedStreams : DocumentSessionListenerBase
{
    public event Action<string, IReadOnlyList<Guid>>? Committed;

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        var streams = commit.GetStreams().Select(s => s.Id).ToList();
        if (streams.Count > 0) Committed?.Invoke(session.TenantId, streams);
        return Task.CompletedTask;
    }
}
