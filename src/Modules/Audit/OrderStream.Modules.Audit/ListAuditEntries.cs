using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using OrderStream.BuildingBlocks.Audit;
using OrderStream.BuildingBlocks.Persistence;
using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Audit;

/// <summary>
/// The tenant's events of every module, newest first: the audit log is the event store read directly, each entry with
/// the actor's name and the owning module's words for what changed (<see cref="IAuditExplainer"/>). A user's history is
/// the same entries about one user, oldest first.
/// </summary>
internal static class ListAuditEntries
{
    public sealed record Query(
        string? Subject,
        string? Actor,
        string? Type,
        DateTimeOffset? From,
        DateTimeOffset? To,
        int Page,
        int PageSize,
        bool OldestFirst = false
    ) : IQuery<PagedList<AuditEntry>>;

    public sealed record AuditEntry(
        long Sequence,
        string Id,
        string Subject,
        string Type,
        DateTimeOffset At,
        string? Actor,
        string? ActorName,
        string Summary,
        string? CorrelationId,
        string? CausationId,
        JsonElement Data
    );

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Page).InclusiveBetween(1, Paging.MaxPage);
            RuleFor(q => q.PageSize).InclusiveBetween(1, Paging.MaxPageSize);
            RuleFor(q => q.Subject)
                .Must(s => s is null || Guid.TryParse(s, out _))
                .WithMessage("subject must be an id.");
            RuleFor(q => q.To).GreaterThan(q => q.From).When(q => q.From is not null && q.To is not null);
            RuleFor(q => q.Type).MaximumLength(200);
            RuleFor(q => q.Actor).MaximumLength(200);
        }
    }

    internal sealed class Handler(
        SearchDatabase search,
        TenantContext tenant,
        IEnumerable<IAuditExplainer> explainers,
        IEnumerable<IAuditNames> names
    ) : IRequestHandler<Query, PagedList<AuditEntry>>
    {
        // Entries about a user live in the user's stream and in side streams (login attempts) that name the user in
        // UserId. Tombstones are Marten's placeholders for the sequence numbers of failed transactions: nothing
        // happened there.
        private const string Filter = $"""
            from {MartenSetup.EventsSchema}.mt_events
            where tenant_id = @tenant and type <> 'tombstone'
              and (@subject::uuid is null or stream_id = @subject or data ->> 'UserId' = @subject::text)
              and (@actor::text is null or user_name = @actor)
              and (@type::text is null or type = @type)
              and (@from::timestamptz is null or timestamp >= @from)
              and (@to::timestamptz is null or timestamp < @to)
            """;

        public async Task<PagedList<AuditEntry>> Handle(Query query, CancellationToken ct)
        {
            // Optional filters ("@x is null or ..."): planned for the filters actually given, never a generic plan.
            await using var connection = await search.Db.OpenConnectionAsync(ct);
            await using var count = Command(connection, $"select count(*) {Filter}", query);
            var total = (long)(await count.ExecuteScalarAsync(ct))!;
            await using var select = Command(
                connection,
                $"select seq_id, id, stream_id, type, timestamp, user_name, correlation_id, causation_id, data "
                    + $"{Filter} "
                    + $"order by seq_id {(query.OldestFirst ? "asc" : "desc")} limit @limit offset @offset",
                query
            );
            select.Parameters.AddWithValue("limit", query.PageSize);
            select.Parameters.AddWithValue("offset", (query.Page - 1) * query.PageSize);
            var items = new List<AuditEntry>();
            await using (var reader = await select.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct))
                {
                    var (type, data) = (reader.GetString(3), Redacted(reader.GetString(8)));
                    items.Add(
                        new AuditEntry(
                            reader.GetInt64(0),
                            reader.GetGuid(1).ToString(),
                            reader.GetGuid(2).ToString(),
                            type,
                            reader.GetFieldValue<DateTimeOffset>(4),
                            reader.IsDBNull(5) ? null : reader.GetString(5),
                            null,
                            Explain(type, data),
                            reader.IsDBNull(6) ? null : reader.GetString(6),
                            reader.IsDBNull(7) ? null : reader.GetString(7),
                            data
                        )
                    );
                }
            // Actors are user ids (or named system actors): named as the users are called now.
            var actorIds = items
                .Select(i => Guid.TryParse(i.Actor, out var id) ? id : Guid.Empty)
                .Where(id => id != Guid.Empty)
                .ToHashSet();
            var known = new Dictionary<Guid, string>();
            foreach (var source in names)
            foreach (var (id, name) in await source.NamesAsync(actorIds, ct))
                known[id] = name;
            return new PagedList<AuditEntry>(
                items
                    .Select(i =>
                        i with
                        {
                            ActorName = Guid.TryParse(i.Actor, out var id) ? known.GetValueOrDefault(id) : i.Actor,
                        }
                    )
                    .ToList(),
                total,
                query.Page,
                query.PageSize
            );
        }

        /// <summary>
        /// The event's data without secrets or their hashes (a confirmation token's hash, say): never in an answer.
        /// </summary>
        private static JsonElement Redacted(string json)
        {
            var node = JsonNode.Parse(json);
            Strip(node);
            return JsonSerializer.SerializeToElement(node);

            static void Strip(JsonNode? node)
            {
                if (node is JsonArray array)
                    foreach (var item in array)
                        Strip(item);
                if (node is not JsonObject obj)
                    return;
                foreach (var name in obj.Select(p => p.Key).Where(Secret).ToList())
                    obj.Remove(name);
                foreach (var (_, value) in obj)
                    Strip(value);
            }
        }

        private static bool Secret(string name) =>
            name.EndsWith("Hash", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Token", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Password", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Pin", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Secret", StringComparison.OrdinalIgnoreCase);

        private string Explain(string type, JsonElement data)
        {
            foreach (var explainer in explainers)
                if (explainer.Explain(type, data) is { } words)
                    return words;
            // An event no module explains still reads as words: "license_linked" → "License linked".
            var plain = type.Replace('_', ' ');
            return plain.Length == 0 ? type : char.ToUpperInvariant(plain[0]) + plain[1..] + ".";
        }

        private NpgsqlCommand Command(NpgsqlConnection connection, string sql, Query query)
        {
            var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("tenant", tenant.Tenant);
            command.Parameters.Add(
                new NpgsqlParameter("subject", NpgsqlDbType.Uuid)
                {
                    Value = query.Subject is null ? DBNull.Value : Guid.Parse(query.Subject),
                }
            );
            command.Parameters.Add(
                new NpgsqlParameter("actor", NpgsqlDbType.Text) { Value = (object?)query.Actor ?? DBNull.Value }
            );
            command.Parameters.Add(
                new NpgsqlParameter("type", NpgsqlDbType.Text) { Value = (object?)query.Type ?? DBNull.Value }
            );
            command.Parameters.Add(
                new NpgsqlParameter("from", NpgsqlDbType.TimestampTz)
                {
                    Value = (object?)query.From?.ToUniversalTime() ?? DBNull.Value,
                }
            );
            command.Parameters.Add(
                new NpgsqlParameter("to", NpgsqlDbType.TimestampTz)
                {
                    Value = (object?)query.To?.ToUniversalTime() ?? DBNull.Value,
                }
            );
            return command;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet(
                    "/api/tenants/{tenant}/audit",
                    (
                        string tenant,
                        string? subject,
                        string? actor,
                        string? type,
                        DateTimeOffset? from,
                        DateTimeOffset? to,
                        int? page,
                        int? pageSize,
                        IMediator mediator,
                        CancellationToken ct
                    ) => mediator.Send(new Query(subject, actor, type, from, to, page ?? 1, pageSize ?? 50), ct)
                )
                .WithTags("Audit")
                .WithName("ListAuditEntries")
                .WithSummary("Read the audit trail")
                .WithDescription("Every audited change of the tenant, newest first, filtered and paged.")
                .RequireFeature(AuditModule.ViewAuditLog);
    }
}
