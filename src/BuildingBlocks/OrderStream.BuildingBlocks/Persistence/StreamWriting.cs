using JasperFx.Events;
using Marten;
using Marten.Events;
using OrderStream.BuildingBlocks.Errors;

namespace OrderStream.BuildingBlocks.Persistence;

public static class StreamWriting
{
    /// <summary>
    /// Opens an event-sourced resource for a change. With If-Match, a stale version is a 412 at once; without it, the
    /// version read here is still checked at commit, so a concurrent change is never silently overwritten (a 409 then).
    /// </summary>
    public static async Task<(IEventStream<T> Stream, T Aggregate)> FetchForUpdateAsync<T>(
        this IDocumentSession session,
        Guid id,
        long? expectedVersion,
        string what,
        CancellationToken ct
    )
        where T : class
    {
        var stream = await session.FetchStreamForUpdateAsync<T>(id, expectedVersion, what, ct);
        return stream.Aggregate is { } aggregate
            ? (stream, aggregate)
            : throw new NotFoundException(what, id.ToString());
    }

    /// <summary>
    /// Opens a stream for a change, like <see cref="FetchForUpdateAsync{T}"/>, whether or not it exists yet: a
    /// tenant's settings never saved have none, and their ETag is <c>"0"</c>.
    /// </summary>
    public static async Task<IEventStream<T>> FetchStreamForUpdateAsync<T>(
        this IDocumentSession session,
        Guid id,
        long? expectedVersion,
        string what,
        CancellationToken ct
    )
        where T : class
    {
        try
        {
            return expectedVersion is { } version
                ? await session.Events.FetchForWriting<T>(id, version, ct)
                : await session.Events.FetchForWriting<T>(id, ct);
        }
        catch (JasperFx.ConcurrencyException)
        {
            throw new PreconditionFailedException(
                $"The {what} changed since you read it (If-Match is stale). Reload and try again."
            );
        }
    }
}
