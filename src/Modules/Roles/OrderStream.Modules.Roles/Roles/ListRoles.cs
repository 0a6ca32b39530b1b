namespace OrderStream.Modules.Roles.Roles;

/// <summary>
/// The tenant's roles by name; deleted ones stay in the history, not in this list (hundreds at most: one page).
/// </summary>
internal static class ListRoles
{
    public sealed record Query : IQuery<PagedList<RoleResponse>>;

    internal sealed class Handler(IQuerySession session) : IRequestHandler<Query, PagedList<RoleResponse>>
    {
        public async Task<PagedList<RoleResponse>> Handle(Query q, CancellationToken ct)
        {
            var roles = await session.Query<Role>().Where(r => !r.IsDeleted).OrderBy(r => r.NameKey).ToListAsync(ct);
            return new PagedList<RoleResponse>(
                [.. roles.Select(RoleResponse.From)],
                roles.Count,
                1,
                Math.Max(roles.Count, 1)
            );
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet("/api/tenants/{tenant}/roles", (IMediator mediator, CancellationToken ct) =>
                    mediator.Send(new Query(), ct)
                )
                .WithTags("Roles")
                .WithName("ListRoles")
                .WithSummary("List roles")
                .WithDescription("The roles of the tenant, paged.")
                .RequireFeature(RolesModule.MaintainRoles, RolesModule.BackOfficeUsers);
    }
}
