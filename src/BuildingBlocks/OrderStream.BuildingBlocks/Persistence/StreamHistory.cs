using System.Collections.Concurrent;
using System.Reflection;
using JasperFx.Events;
using Marten;
using Marten.Events;

namespace OrderStream.BuildingBlocks.Persistence;

/// <summary>
/// Aggregates as they were at an instant (issue #6's time travel): the streams' events up to then, read in one query
/// and folded with the aggregate's own <c>Create</c>/<c>Apply</c> methods, the ones Marten's inline snapshots use.
/// Events are stamped by the service's clock (<see cref="MartenSetup"/>), so "as of" means what users saw at that
/// instant.
/// </summary>
public static class StreamHistory
{
    /// <summary>
    /// <paramref name="streamIds"/> null: every stream with events of the aggregate's types (a whole tenant). Streams
    /// that had no event by then are missing from the answer.
    /// </summary>
    public static async Task<Dictionary<Guid, T>> AsOfAsync<T>(
        IQuerySession session,
        IReadOnlyCollection<Guid>? streamIds,
        DateTimeOffset asOf,
        CancellationToken ct
    )
        where T : class
    {
        var folder = Folder<T>.Instance;
        var result = new Dictionary<Guid, T>();
        if (streamIds is { Count: 0 })
            return result;
        var query = session.Events.QueryAllRawEvents().Where(e => e.Timestamp <= asOf);
        query = streamIds is null
            ? query.Where(e => e.EventTypesAre(folder.EventTypes))
            : query.Where(e => e.StreamId.IsOneOf(streamIds.ToArray()));
        foreach (var e in await query.OrderBy(e => e.Sequence).ToListAsync(ct))
        {
            if (!folder.Handles(e.EventType))
                continue;
            result[e.StreamId] = folder.Apply(result.GetValueOrDefault(e.StreamId), e);
        }
        return result;
    }

    private sealed class Folder<T>
        where T : class
    {
        public static readonly Folder<T> Instance = new();
        private readonly Dictionary<Type, Func<object, T>> _create = [];
        private readonly Dictionary<Type, Action<T, object>> _apply = [];
        private readonly PropertyInfo? _id = typeof(T).GetProperty("Id");
        private readonly PropertyInfo? _version = typeof(T).GetProperty("Version");
        private readonly ConcurrentDictionary<Type, bool> _handles = new();

        public Type[] EventTypes { get; }

        private Folder()
        {
            foreach (var m in typeof(T).GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance))
            {
                if (m.GetParameters() is not [var p])
                    continue;
                if (m.IsStatic && m.Name == "Create" && m.ReturnType == typeof(T))
                    _create[p.ParameterType] = e => (T)m.Invoke(null, [e])!;
                else if (!m.IsStatic && m.Name == "Apply")
                    _apply[p.ParameterType] = (a, e) => m.Invoke(a, [e]);
            }
            EventTypes = [.. _create.Keys.Concat(_apply.Keys).Distinct()];
        }

        public bool Handles(Type type) => _handles.GetOrAdd(type, t => _create.ContainsKey(t) || _apply.ContainsKey(t));

        public T Apply(T? aggregate, IEvent e)
        {
            if (aggregate is null)
            {
                aggregate = _create.TryGetValue(e.EventType, out var create)
                    ? create(e.Data)
                    : Activator.CreateInstance<T>();
                _id?.SetValue(aggregate, e.StreamId);
                if (_create.ContainsKey(e.EventType))
                    return Versioned(aggregate, e);
            }
            if (_apply.TryGetValue(e.EventType, out var apply))
                apply(aggregate, e.Data);
            return Versioned(aggregate, e);
        }

        private T Versioned(T aggregate, IEvent e)
        {
            if (_version?.PropertyType == typeof(long))
                _version.SetValue(aggregate, e.Version);
            return aggregate;
        }
    }
}
