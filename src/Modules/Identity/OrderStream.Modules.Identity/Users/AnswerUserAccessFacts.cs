using Npgsql;
using OrderStream.BuildingBlocks.Persistence;
using OrderStream.Modules.Identity.Contracts;

namespace OrderStream.Modules.Identity.Users;

/// <summary>
/// Identity's answer to the published <see cref="GetUserAccessFacts"/> query (the Roles module decides with it).
/// </summary>
internal sealed class AnswerUserAccessFacts(IQuerySession session, NpgsqlDataSource db)
    : IRequestHandler<GetUserAccessFacts, IReadOnlyList<UserAccessFacts>>
{
    public async Task<IReadOnlyList<UserAccessFacts>> Handle(GetUserAccessFacts query, CancellationToken ct)
    {
        if (query.AsOf is { } asOf)
        {
            var then = await StreamHistory.AsOfAsync<User>(session, query.UserIds, asOf, ct);
            return then
                .Values.Select(u => new UserAccessFacts(
                    u.Id,
                    u.EmployeeName(),
                    u.IsActive,
                    u.IsSystemAdministrator,
                    u.Type?.ToString(),
                    [.. u.CounterpartIds],
                    u.Profile.OnlineStoreId,
                    u.Profile.AccessMode?.ToString(),
                    u.Profile.ReportCodes ?? [],
                    u.TokenGeneration
                ))
                .ToList();
        }
        if (query.UserIds is { Count: 0 })
            return [];
        // Every engine start loads a whole tenant's users: only the fields asked for leave the database, as plain
        // columns, a quarter of the CPU of Marten's JSON Select (ADR 0024). Enums are stored as names (ADR 0003).
        var table = session.DocumentStore.Options.FindOrResolveDocumentType(typeof(User)).TableName.QualifiedName;
        await using var command = db.CreateCommand(
            $"""
            select d.id, d.data ->> 'FirstName', d.data ->> 'LastName', (d.data ->> 'IsActive')::boolean,
                   (d.data ->> 'IsSystemAdministrator')::boolean, d.data -> 'Profile' ->> 'Type',
                   (select array_agg(x::uuid) from jsonb_array_elements_text(d.data -> 'CounterpartIds') x),
                   (d.data -> 'Profile' ->> 'OnlineStoreId')::uuid, d.data -> 'Profile' ->> 'AccessMode',
                   (select array_agg(x) from jsonb_array_elements_text(d.data -> 'Profile' -> 'ReportCodes') x),
                   coalesce((d.data ->> 'TokenGeneration')::int, 0)
            from {table} d where d.tenant_id = $1 {(query.UserIds is null ? "" : "and d.id = any($2)")}
            """
        );
        command.Parameters.Add(new NpgsqlParameter { Value = session.TenantId });
        if (query.UserIds is { } ids)
            command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var facts = new List<UserAccessFacts>();
        while (await reader.ReadAsync(ct))
            facts.Add(
                new UserAccessFacts(
                    reader.GetGuid(0),
                    User.EmployeeName(Text(1) ?? "", Text(2) ?? ""),
                    reader.GetBoolean(3),
                    reader.GetBoolean(4),
                    Text(5),
                    reader.IsDBNull(6) ? [] : reader.GetFieldValue<Guid[]>(6),
                    reader.IsDBNull(7) ? null : reader.GetGuid(7),
                    Text(8),
                    reader.IsDBNull(9) ? [] : reader.GetFieldValue<string[]>(9),
                    reader.GetInt32(10)
                )
            );
        return facts;

        string? Text(int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
    }
}
