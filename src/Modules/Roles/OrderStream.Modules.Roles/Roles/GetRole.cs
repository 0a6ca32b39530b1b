namespace OrderStream.Modules.Roles.Roles;

/// <summary>One role with its grants, and its version as the ETag of the next edit; a deleted role is a 404.</summary>
internal static class GetRole
{
    public sealed record Query(Guid Id) : IQuery<Role>;

    internal sealed class Handler(IQuerySession session) : IRequestHandler<Query, Role>
    {
        public async Task<Role> Handle(Query q, CancellationToken ct) =>
            await session.LoadAsync<Role>(q.Id, ct) is { IsDeleted: false } role
                ? role
                : throw new NotFoundException("Role", q.Id.ToString());
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet(
                    "/api/tenants/{tenant}/roles/{id:guid}",
                    async (Guid id, IMediator mediator, HttpContext http, CancellationToken ct) =>
                    {
                        var role = await mediator.Send(new Query(id), ct);
                        return http.WithETag(role.Version, RoleResponse.From(role));
                    }
                )
                .WithTags("Roles")
                .WithName("GetRole")
                .WithSummary("Read a role")
                .WithDescription("Answers the role with an `ETag`.")
                .AnswersWithETag()
                .Produces<RoleResponse>()
                .RequireFeature(RolesModule.MaintainRoles, RolesModule.BackOfficeUsers);
    }
}
