namespace OrderStream.Modules.Roles.Roles;

/// <summary>The tenant's roles (deleted ones stay in the history, not in this list) and one role with its ETag.</summary>
internal static class GetRoles
{
    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
        {
            app.MapGet("/api/tenants/{tenant}/roles", async (IQuerySession session, CancellationToken ct) =>
                {
                    var roles = await session.Query<Role>().Where(r => !r.IsDeleted).OrderBy(r => r.NameKey).ToListAsync(ct);
                    return new PagedList<RoleResponse>(roles.Select(RoleResponse.From).ToList(), roles.Count, 1, Math.Max(roles.Count, 1));
                })
                .WithTags("Roles").WithName("ListRoles").RequireFeature(RolesModule.MaintainRoles, RolesModule.BackOfficeUsers);
            app.MapGet("/api/tenants/{tenant}/roles/{id:guid}", async (Guid id, IQuerySession session, HttpContext http, CancellationToken ct) =>
                {
                    var role = await session.LoadAsync<Role>(id, ct);
                    if (role is null || role.IsDeleted) throw new NotFoundException("Role", id.ToString());
                    return http.WithETag(role.Version, RoleResponse.From(role));
                })
                .WithTags("Roles").WithName("GetRole").Produces<RoleResponse>().RequireFeature(RolesModule.MaintainRoles, RolesModule.BackOfficeUsers);
        }
    }
}
