using Npgsql;

namespace OrderStream.BuildingBlocks.Errors;

/// <summary>
/// What a log may say of an exception. A database failure's messages can quote the values of the statement
/// (PostgreSQL's message and context, Marten's command), so only its kinds, SQLSTATE, constraint and where it was
/// thrown are kept.
/// </summary>
public static class LoggedException
{
    public static Exception Safe(Exception e) => IsDatabase(e) ? new DatabaseFailure(Describe(e)) : e;

    public static string Describe(Exception e)
    {
        var chain = new List<Exception>();
        for (var inner = e; inner is not null; inner = inner.InnerException)
            chain.Add(inner);
        var postgres = chain.OfType<PostgresException>().FirstOrDefault();
        return string.Join(" <- ", chain.Select(x => x.GetType().Name))
            + (
                postgres is null
                    ? ""
                    : $", SQLSTATE {postgres.SqlState}{(postgres.ConstraintName is { } c ? $" on {c}" : "")}"
            )
            + $"\n{e.StackTrace}";
    }

    private static bool IsDatabase(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (
                inner is NpgsqlException
                || inner.GetType().Namespace?.StartsWith("Marten", StringComparison.Ordinal) == true
            )
                return true;
        return false;
    }

    private sealed class DatabaseFailure(string description) : Exception(description);
}
