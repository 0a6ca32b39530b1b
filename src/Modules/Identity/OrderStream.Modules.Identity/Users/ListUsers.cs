using Marten.Linq;
using Marten.Linq.MatchesSql;
using Npgsql;
using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Identity.Users;

/// <summary>The user list: search (case- and accent-insensitive, inside words), filters, sorting and paging.</summary>
internal static class ListUsers
{
    public enum Status
    {
        Active,
        Inactive,
        All,
    }

    public enum SortBy
    {
        LastName,
        CreatedAt,
        LoginCode,
    }

    public sealed record Query(
        string? Search,
        Status Status,
        BackOfficeUserType? Type,
        bool? NeedsAssignment,
        SortBy Sort,
        bool Descending,
        int Page,
        int PageSize,
        Guid? SalePointId = null,
        bool? SystemAdministrator = null
    ) : IQuery<PagedList<UserListItem>>;

    /// <summary>
    /// <c>SalePoints</c> and <c>Stores</c>: the user's active ones, which the manual shows when hovering over a user.
    /// </summary>
    public sealed record UserListItem(
        string Id,
        string FirstName,
        string LastName,
        string? Email,
        string LoginCode,
        BackOfficeUserType? Type,
        bool IsActive,
        bool IsSystemAdministrator,
        bool NeedsAssignment,
        string Language,
        string? Phone,
        string? City,
        DateTimeOffset CreatedAt,
        IReadOnlyList<PlaceItem> SalePoints,
        IReadOnlyList<PlaceItem> Stores
    );

    public sealed record PlaceItem(string Id, string Code, string Name);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Page).InclusiveBetween(1, Paging.MaxPage);
            RuleFor(q => q.PageSize).InclusiveBetween(1, Paging.MaxPageSize);
            RuleFor(q => q.Search).MaximumLength(100);
        }
    }

    /// <summary>
    /// Count and page run at once, on two sessions: both visit every match, so one after the other would double the
    /// wait (ADR 0024).
    /// </summary>
    internal sealed class Handler(IDocumentStore store, TenantContext tenant, SearchDatabase search)
        : IRequestHandler<Query, PagedList<UserListItem>>
    {
        // Sparse matches are sorted, dense ones found by walking the name index: each is faster there (ADR 0024).
        private const int SortAtMost = 20_000;

        public async Task<PagedList<UserListItem>> Handle(Query q, CancellationToken ct)
        {
            var term = User.SearchKey(q.Search ?? "");
            // Marten writes the SQL; it runs on the search connections, planned for this term (see SearchDatabase).
            await using var session = store.QuerySession(tenant.Tenant);
            if (
                q.SalePointId is { } salePoint
                && term.Length == 0
                && q.Type is null
                && q.NeedsAssignment is null
                && q.SystemAdministrator is null
                && q.Sort == SortBy.LastName
            )
            {
                var (ids, total) = await AtSalePointAsync(q, salePoint, ct);
                var entries = (await session.LoadManyAsync<UserListEntry>(ct, ids)).ToDictionary(u => u.Id);
                return await ItemsAsync(
                    session,
                    Task.FromResult<IReadOnlyList<UserListEntry>>(
                        ids.Where(entries.ContainsKey).Select(id => entries[id]).ToList()
                    ),
                    Task.FromResult(total),
                    q,
                    ct
                );
            }
            // The choice is made before either query starts, from PostgreSQL's own estimate of the matches (about 1
            // ms).
            var sortMatches =
                term.Length > 0 && await EstimatedMatchesAsync(Filter(session, q, term), ct) <= SortAtMost;
            var count = CountAsync(Filter(session, q, term), ct);
            var page = PageAsync(Ordered(session, q, term, sortMatches), ct);
            return await ItemsAsync(session, page, count, q, ct);
        }

        /// <summary>
        /// A sale point's users by name: counted and paged from the filter table's index alone (ADR 0012).
        /// </summary>
        private async Task<(List<Guid> Ids, long Total)> AtSalePointAsync(Query q, Guid salePoint, CancellationToken ct)
        {
            var where =
                $"from {UserSalePointsTable.Name} where tenant_id = $1 and sale_point_id = $2"
                + (q.Status == Status.All ? "" : $" and is_active = {(q.Status == Status.Active ? "true" : "false")}");
            var order = q.Descending ? "desc" : "asc";
            await using var batch = search.Db.CreateBatch();
            batch.BatchCommands.Add(
                new NpgsqlBatchCommand($"select count(*) {where}")
                {
                    Parameters =
                    {
                        new() { Value = tenant.Tenant },
                        new() { Value = salePoint },
                    },
                }
            );
            batch.BatchCommands.Add(
                new NpgsqlBatchCommand(
                    $"select user_id {where} order by sort_name {order}, user_id {order} offset $3 limit $4"
                )
                {
                    Parameters =
                    {
                        new() { Value = tenant.Tenant },
                        new() { Value = salePoint },
                        new() { Value = (q.Page - 1) * q.PageSize },
                        new() { Value = q.PageSize },
                    },
                }
            );
            await using var reader = await batch.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var total = reader.GetInt64(0);
            await reader.NextResultAsync(ct);
            var ids = new List<Guid>(q.PageSize);
            while (await reader.ReadAsync(ct))
                ids.Add(reader.GetGuid(0));
            return (ids, total);
        }

        private static async Task<PagedList<UserListItem>> ItemsAsync(
            IQuerySession session,
            Task<IReadOnlyList<UserListEntry>> pageRead,
            Task<long> countRead,
            Query q,
            CancellationToken ct
        )
        {
            // The page's locations are read while the count still runs: it visits every match, the page stops at its
            // size.
            var page = await pageRead;
            var (locations, places) = await LocationsAsync(session, page, ct);
            var count = await countRead;
            IReadOnlyList<PlaceItem> Active(IEnumerable<Guid>? ids) =>
                ids is null
                    ? []
                    : ids.Select(places.GetValueOrDefault)
                        .OfType<KnownLocation>()
                        .Where(l => l.IsActive)
                        .OrderBy(l => l.Code, StringComparer.OrdinalIgnoreCase)
                        .Select(l => new PlaceItem(l.Id.ToString(), l.Code, l.Name))
                        .ToList();
            return new PagedList<UserListItem>(
                page.Select(u => new UserListItem(
                        u.Id.ToString(),
                        u.FirstName,
                        u.LastName,
                        u.Email,
                        u.LoginCode,
                        u.Type,
                        u.IsActive,
                        u.IsSystemAdministrator,
                        u.NeedsAssignment,
                        u.Language,
                        u.Phone,
                        u.City,
                        u.CreatedAt,
                        Active(locations.GetValueOrDefault(u.Id)?.SalePointIds),
                        Active(locations.GetValueOrDefault(u.Id)?.StoreIds)
                    ))
                    .ToList(),
                count,
                q.Page,
                q.PageSize
            );
        }

        /// <summary>
        /// The page's users' sale points and stores, from Identity's read model of them (two reads by id).
        /// </summary>
        private static async Task<(
            Dictionary<Guid, UserLocationIndex>,
            Dictionary<Guid, KnownLocation>
        )> LocationsAsync(IQuerySession session, IReadOnlyList<UserListEntry> page, CancellationToken ct)
        {
            if (page.Count == 0)
                return ([], []);
            var locations = (await session.LoadManyAsync<UserLocationIndex>(ct, page.Select(u => u.Id))).ToDictionary(
                l => l.Id
            );
            var ids = locations.Values.SelectMany(l => l.SalePointIds.Concat(l.StoreIds)).Distinct().ToArray();
            var places =
                ids.Length == 0 ? [] : (await session.LoadManyAsync<KnownLocation>(ct, ids)).ToDictionary(l => l.Id);
            return (locations, places);
        }

        private NpgsqlCommand OnSearchConnection(IQueryable<UserListEntry> users, FetchType fetch, string prefix = "")
        {
            var query = users.ToCommand(fetch);
            var command = search.Db.CreateCommand(prefix + query.CommandText);
            foreach (NpgsqlParameter parameter in query.Parameters)
                command.Parameters.Add(parameter.Clone());
            return command;
        }

        private async Task<long> CountAsync(IQueryable<UserListEntry> users, CancellationToken ct)
        {
            await using var count = OnSearchConnection(users, FetchType.Count);
            return Convert.ToInt64(await count.ExecuteScalarAsync(ct));
        }

        private async Task<IReadOnlyList<UserListEntry>> PageAsync(
            IQueryable<UserListEntry> users,
            CancellationToken ct
        )
        {
            await using var select = OnSearchConnection(users, FetchType.FetchMany);
            await using var reader = await select.ExecuteReaderAsync(ct);
            var serializer = store.Options.Serializer();
            var page = new List<UserListEntry>();
            while (await reader.ReadAsync(ct))
                page.Add(serializer.FromJson<UserListEntry>(reader, 0));
            return page;
        }

        private async Task<double> EstimatedMatchesAsync(IQueryable<UserListEntry> users, CancellationToken ct)
        {
            await using var explain = OnSearchConnection(users, FetchType.FetchMany, "explain (format json) ");
            var plan = System.Text.Json.JsonDocument.Parse((string)(await explain.ExecuteScalarAsync(ct))!);
            return plan.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
        }

        /// <summary>The list's filters, which the List Back Office Users report applies too.</summary>
        internal static IQueryable<UserListEntry> Filter(IQuerySession session, Query q, string term)
        {
            IQueryable<UserListEntry> users = session.Query<UserListEntry>();
            if (q.Status != Status.All)
            {
                var active = q.Status == Status.Active;
                users = users.Where(u => u.IsActive == active);
            }
            if (q.Type is { } type)
                users = users.Where(u => u.Type == type);
            if (q.NeedsAssignment is { } needs)
                users = users.Where(u => u.NeedsAssignment == needs);
            if (q.SystemAdministrator is { } administrator)
                users = users.Where(u => u.IsSystemAdministrator == administrator);
            // Users at a sale point, with other filters or orders (the plain case takes AtSalePointAsync's shorter
            // way).
            if (q.SalePointId is { } salePoint)
                users = users.Where(u =>
                    u.MatchesSql(
                        $"d.id in (select x.user_id from {UserSalePointsTable.Name} x where x.tenant_id = ? and "
                            + $"x.sale_point_id = ?)",
                        session.TenantId,
                        salePoint
                    )
                );
            // Marten escapes LIKE wildcards in Contains, so '%' and '_' are searched for literally (a test holds it to
            // that).
            if (term.Length > 0)
                users = users.Where(u => u.SearchText.Contains(term));
            return users;
        }

        private static IQueryable<UserListEntry> Ordered(IQuerySession session, Query q, string term, bool sortMatches)
        {
            var users = Filter(session, q, term);
            var ordered = (q.Sort, q.Descending) switch
            {
                (SortBy.CreatedAt, false) => users.OrderBy(u => u.CreatedAt),
                (SortBy.CreatedAt, true) => users.OrderByDescending(u => u.CreatedAt),
                (SortBy.LoginCode, false) => users.OrderBy(u => u.LoginKey),
                (SortBy.LoginCode, true) => users.OrderByDescending(u => u.LoginKey),
                (_, false) when sortMatches => users.OrderBy(u => u.SortName.ToLower()),
                (_, true) when sortMatches => users.OrderByDescending(u => u.SortName.ToLower()),
                (_, false) => users.OrderBy(u => u.SortName),
                (_, true) => users.OrderByDescending(u => u.SortName),
            };
            return ordered.ThenBy(u => u.Id).Skip((q.Page - 1) * q.PageSize).Take(q.PageSize);
        }
    }

    private enum Order
    {
        Asc,
        Desc,
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet(
                    "/api/tenants/{tenant}/users",
                    (
                        string? search,
                        string? status,
                        string? type,
                        bool? needsAssignment,
                        string? sort,
                        string? order,
                        int? page,
                        int? pageSize,
                        Guid? salePointId,
                        bool? systemAdministrator,
                        IMediator mediator,
                        CancellationToken ct
                    ) =>
                        mediator.Send(
                            new Query(
                                search,
                                QueryValues.Parse(status, Status.Active, "status"),
                                type is null ? null : QueryValues.Parse(type, default(BackOfficeUserType), "type"),
                                needsAssignment,
                                QueryValues.Parse(sort, SortBy.LastName, "sort"),
                                QueryValues.Parse(order, Order.Asc, "order") == Order.Desc,
                                page ?? 1,
                                pageSize ?? 50,
                                salePointId,
                                systemAdministrator
                            ),
                            ct
                        )
                )
                .WithTags("Users")
                .WithName("ListUsers")
                .WithSummary("List users")
                .WithDescription(
                    "Search, filter by status, type, role, sale point or store, sort and page the users "
                        + "of the tenant. `systemAdministrator=true` lists the System Administrators (the console "
                        + "warns before a change would leave the tenant without an active one)."
                )
                .RequireFeature(IdentityModule.ManageUsers);
    }
}
