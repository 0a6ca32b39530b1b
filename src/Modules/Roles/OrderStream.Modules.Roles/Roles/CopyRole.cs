namespace OrderStream.Modules.Roles.Roles;

/// <summary>A new role with another role's grants under a new name (the copy remembers where it came from).</summary>
internal static class CopyRole
{
    public sealed record Body(string Name);

    public sealed record Command(Guid From, string Name) : ICommand<Guid>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Name).NotEmpty().MaximumLength(100);
    }

    internal sealed class Handler(IDocumentSession session, RoleGrants roleGrants) : IRequestHandler<Command, Guid>
    {
        public async Task<Guid> Handle(Command c, CancellationToken ct)
        {
            var source = await session.LoadAsync<Role>(c.From, ct);
            if (source is null || source.IsDeleted)
                throw new NotFoundException("Role", c.From.ToString());
            // A copy gives its features anew, so the caller must be allowed to give each of them.
            var grants = await roleGrants.CheckAsync(
                source.Grants.Select(g => new GrantBody(g.FeatureCode, g.Qualifier)).ToList(),
                [],
                ct
            );
            var created = new RoleCreated(Guid.CreateVersion7(), c.Name.Trim(), source.Description, grants, source.Id);
            session.Events.StartStream<Role>(created.RoleId, created);
            return created.RoleId;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/roles/{id:guid}/copy",
                    async (
                        string tenant,
                        Guid id,
                        Body body,
                        IMediator mediator,
                        IQuerySession session,
                        CancellationToken ct
                    ) =>
                    {
                        var copy = await mediator.Send(new Command(id, body.Name), ct);
                        var role = await session.LoadAsync<Role>(copy, ct);
                        return Results.Created($"/api/tenants/{tenant}/roles/{copy}", RoleResponse.From(role!));
                    }
                )
                .WithTags("Roles")
                .WithName("CopyRole")
                .WithSummary("Copy a role")
                .WithDescription("A new role with the features and qualifiers of another. Audited.")
                .Produces<RoleResponse>(StatusCodes.Status201Created)
                .RequireFeature(RolesModule.MaintainRoles);
    }
}
