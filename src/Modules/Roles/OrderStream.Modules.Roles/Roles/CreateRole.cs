namespace OrderStream.Modules.Roles.Roles;

internal static class CreateRole
{
    public sealed record Command(string Name, string? Description, IReadOnlyList<GrantBody>? Grants)
        : ICommand<Guid>,
            IRoleFields;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            Include(new RoleFieldsValidator());
        }
    }

    internal sealed class Handler(IDocumentSession session, RoleGrants roleGrants) : IRequestHandler<Command, Guid>
    {
        public async Task<Guid> Handle(Command c, CancellationToken ct)
        {
            var grants = await roleGrants.CheckAsync(c.Grants ?? [], [], ct);
            var created = new RoleCreated(Guid.CreateVersion7(), c.Name.Trim(), c.Description?.Trim(), grants, null);
            session.Events.StartStream<Role>(created.RoleId, created);
            return created.RoleId;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/roles",
                    async (
                        string tenant,
                        Command body,
                        IMediator mediator,
                        IQuerySession session,
                        CancellationToken ct
                    ) =>
                    {
                        var id = await mediator.Send(body, ct);
                        var role = await session.LoadAsync<Role>(id, ct);
                        return Results.Created($"/api/tenants/{tenant}/roles/{id}", RoleResponse.From(role!));
                    }
                )
                .WithTags("Roles")
                .WithName("CreateRole")
                .WithSummary("Create a role")
                .WithDescription(
                    "A role with secure features and qualifiers. With \"grant only what you hold\", a "
                        + "caller cannot put in it what they do not hold (403). Audited."
                )
                .Produces<RoleResponse>(StatusCodes.Status201Created)
                .RequireFeature(RolesModule.MaintainRoles);
    }
}
