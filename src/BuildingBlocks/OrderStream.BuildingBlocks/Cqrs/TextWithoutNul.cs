using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace OrderStream.BuildingBlocks.Cqrs;

/// <summary>
/// PostgreSQL's text and jsonb cannot hold a NUL character, so no request may carry one in any text, at any depth
/// (issue #18: they were 500s). Finds the first such field of a request by its path ("grants[0].FeatureCode"); the
/// reading of each request type is worked out once. Only the module's own types are walked, never a framework's.
/// </summary>
internal static class TextWithoutNul
{
    private const int MaxDepth = 8;
    private static readonly ConcurrentDictionary<Type, (string Name, Func<object, object?> Get)[]> Readable = new();

    public static string? FieldWithNul(object request) => Find(request, "", 0);

    private static string? Find(object? value, string path, int depth)
    {
        switch (value)
        {
            case null:
                return null;
            case string text:
                return text.Contains('\0') ? path : null;
            case IEnumerable items when depth < MaxDepth:
                var i = 0;
                foreach (var item in items)
                    if (Find(item, $"{path}[{i++}]", depth + 1) is { } found)
                        return found;
                return null;
        }
        if (depth >= MaxDepth)
            return null;
        foreach (var (name, get) in Readable.GetOrAdd(value.GetType(), Properties))
            if (Find(get(value), path.Length == 0 ? name : $"{path}.{name}", depth + 1) is { } found)
                return found;
        return null;
    }

    /// <summary>
    /// The properties that may hold text: strings, collections and records of ours (value types hold none).
    /// </summary>
    private static (string, Func<object, object?>)[] Properties(Type type) =>
        type.Namespace?.StartsWith("OrderStream", StringComparison.Ordinal) != true
            ? []
            :
            [
                .. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p =>
                        p.GetIndexParameters().Length == 0
                        && p.CanRead
                        && !p.PropertyType.IsValueType
                        && p.Name != "EqualityContract"
                    )
                    .Select(p => (p.Name, (Func<object, object?>)p.GetValue)),
            ];
}
