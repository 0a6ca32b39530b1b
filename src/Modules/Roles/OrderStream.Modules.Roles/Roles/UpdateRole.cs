namespace OrderStream.Modules.Roles.Roles;

/// <summary>Renames a role or changes its grants (If-Match). The event keeps before and after.</summary>
internal static class UpdateRole
{
    public sealed record Body(string Name, string? Description, IReadOnlyList<GrantBody>? Grants);

    public sealed record Command(
        Guid Id,
        long? ExpectedVersion,
        string Name,
        string? Description,
        IReadOnlyList<GrantBody>? Grants
    ) : ICommand<Guid>, IRoleFields;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            Include(new RoleFieldsValidator());
        }
    }

    internal sealed class Handler(
        IDocumentSession session,
        RoleGrants roleGrants,
        Decisions.Engine.AccessEngine engine,
        BuildingBlocks.Tenancy.TenantContext tenant
    ) : IRequestHandler<Command, Guid>
    {
        public async Task<Guid> Handle(Command c, CancellationToken ct)
        {
            var (stream, role) = await session.FetchForUpdateAsync<Role>(c.Id, c.ExpectedVersion, "role", ct);
            if (role.IsDeleted)
                throw new NotFoundException("Role", c.Id.ToString());
            var grants = await roleGrants.CheckAsync(c.Grants ?? [], role.Grants, ct);
            var (name, description) = (c.Name.Trim(), c.Description?.Trim());
            await RequireHoldersMayHoldAsync(role, name, grants, ct);
            if (name != role.Name || description != role.Description || !grants.SequenceEqual(role.Grants))
                stream.AppendOne(
                    new RoleEdited(role.Id, name, description, grants, role.Name, role.Description, role.Grants)
                );
            return role.Id;
        }

        // A feature limited to a tier, added to a role held (tenant-wide or at a sale point) by users below that tier,
        // would silently do nothing for them (issue #23): refused, naming them.
        private async Task RequireHoldersMayHoldAsync(
            Role role,
            string name,
            IReadOnlyList<Grant> grants,
            CancellationToken ct
        )
        {
            var access = await engine.TenantAsync(tenant.Tenant, ct);
            var codes = grants.Select(g => g.FeatureCode).ToList();
            if (!access.EditMayRefuseHolders(role.Grants.Select(g => g.FeatureCode), codes))
                return;
            var refused = (await access.AllUsersAsync(engine, ct))
                .Where(u =>
                    u.Access.Roles.Any(r => r.RoleId == role.Id) || u.Locations.SalePoints.Any(s => s.RoleId == role.Id)
                )
                .Select(u => access.WhyNotHoldable(name, codes, u.Facts, access.IsSystemManager(u)))
                .OfType<string>()
                .ToList();
            if (refused.Count > 0)
                throw new ConflictException(
                    $"Role '{name}' is held by users it would not be for with these features: "
                        + string.Join(" ", refused.Take(20))
                        + (refused.Count > 20 ? $" (and {refused.Count - 20} more)" : "")
                );
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPut(
                    "/api/tenants/{tenant}/roles/{id:guid}",
                    async (
                        Guid id,
                        Body body,
                        IMediator mediator,
                        IQuerySession session,
                        HttpContext http,
                        CancellationToken ct
                    ) =>
                    {
                        await mediator.Send(
                            new Command(
                                id,
                                ETags.ExpectedVersion(http.Request),
                                body.Name,
                                body.Description,
                                body.Grants
                            ),
                            ct
                        );
                        var role = await session.LoadAsync<Role>(id, ct);
                        return http.WithETag(role!.Version, RoleResponse.From(role));
                    }
                )
                .WithTags("Roles")
                .WithName("UpdateRole")
                .WithSummary("Change a role")
                .WithDescription(
                    "Send `If-Match` with the `ETag` you read: 412 when stale. Audited; the decisions of "
                        + "every holder change within a second."
                )
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<RoleResponse>()
                .RequireFeature(RolesModule.MaintainRoles);
    }
}
