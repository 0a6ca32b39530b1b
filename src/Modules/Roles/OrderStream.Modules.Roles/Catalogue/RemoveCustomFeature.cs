using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Roles.Catalogue;

/// <summary>
/// Removes a tenant's own feature that nothing gives any more: refused while a role holds it or a user has it as a
/// direct grant, naming them (seed 001's features are never deleted while in use). Its code stays taken.
/// </summary>
internal static class RemoveCustomFeature
{
    public sealed record Command(string Code, long? ExpectedVersion) : ICommand<Unit>;

    internal sealed class Handler(IDocumentSession session, AccessEngine engine, TenantContext tenant)
        : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            var custom = await UpdateCustomFeature.RequireCustomAsync(session, engine, tenant, c.Code, ct);
            var access = await engine.TenantAsync(tenant.Tenant, ct);
            // Every role as stored: the engine knows a role only once someone holds it or it was asked about.
            var roles = (await session.Query<Roles.Role>().Where(r => !r.IsDeleted).ToListAsync(ct))
                .Where(r => r.Grants.Any(g => g.FeatureCode == c.Code))
                .Select(r => $"'{r.Name}'")
                .Order(StringComparer.CurrentCultureIgnoreCase)
                .ToList();
            var users = (await access.AllUsersAsync(engine, ct))
                .Where(u => u.Access.Grants.Any(g => g.FeatureCode == c.Code))
                .Select(u => u.Facts.Name)
                .Order(StringComparer.CurrentCultureIgnoreCase)
                .ToList();
            if (roles.Count + users.Count > 0)
                throw new ConflictException(
                    $"'{custom.Name}' is still given"
                        + (roles.Count > 0 ? $" by role(s) {string.Join(", ", roles.Take(20))}" : "")
                        + (roles.Count > 0 && users.Count > 0 ? " and" : "")
                        + (users.Count > 0 ? $" directly to {string.Join(", ", users.Take(20))}" : "")
                        + ": take it from them first, or deactivate it."
                );
            var (stream, _) = await session.FetchForUpdateAsync<CustomFeature>(
                custom.Id,
                c.ExpectedVersion,
                "secure feature",
                ct
            );
            stream.AppendOne(new CustomFeatureRemoved(custom.Code, custom.Name));
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapDelete(
                    "/api/tenants/{tenant}/secure-features/{code}",
                    async (string code, IMediator mediator, HttpContext http, CancellationToken ct) =>
                    {
                        await mediator.Send(new Command(code, ETags.ExpectedVersion(http.Request)), ct);
                        return Results.NoContent();
                    }
                )
                .WithTags("Secure features")
                .WithName("RemoveCustomFeature")
                .WithSummary("Remove a custom secure feature")
                .WithDescription(
                    "Only when no role holds it and no user has it as a direct grant (409 naming them); its code "
                        + "stays taken. Send `If-Match` with the `ETag` you read: 412 when stale. Audited."
                )
                .TakesIfMatch()
                .Produces(StatusCodes.Status204NoContent)
                .RequireFeature(RolesModule.MaintainRoles);
    }
}
