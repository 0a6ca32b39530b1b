using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Roles.Decisions;

namespace OrderStream.Modules.Roles.Catalogue;

/// <summary>
/// A tenant's own secure feature beside the shipped catalogue; its code may not shadow a shipped one.
/// </summary>
internal static class AddCustomFeature
{
    public sealed record Command(string Code, string Name, string Area, string? Description) : ICommand<SecureFeature>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Code)
                .NotEmpty()
                .MaximumLength(100)
                .Matches("^[a-z0-9]+(-[a-z0-9]+)*$")
                .WithMessage(
                    "Code is lower-case letters and digits in words joined by hyphens, e.g. 'can-approve-refunds'."
                );
            RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
            RuleFor(c => c.Area).NotEmpty().MaximumLength(100);
            RuleFor(c => c.Description).MaximumLength(2000);
        }
    }

    internal sealed class Handler(IDocumentSession session, AccessEngine engine, TenantContext tenant)
        : IRequestHandler<Command, SecureFeature>
    {
        public async Task<SecureFeature> Handle(Command c, CancellationToken ct)
        {
            var access = await engine.TenantAsync(tenant.Tenant, ct);
            if (await access.FeatureAsync(engine, c.Code, ct) is not null)
                throw new ConflictException($"There is a secure feature '{c.Code}' already.", "code");
            var added = new CustomFeatureAdded(
                Guid.CreateVersion7(),
                c.Code,
                c.Name.Trim(),
                c.Area.Trim(),
                c.Description?.Trim()
            );
            session.Events.StartStream<CustomFeature>(added.Id, added);
            return CustomFeature.Create(added).ToFeature();
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/secure-features",
                    async (string tenant, Command body, IMediator mediator, CancellationToken ct) =>
                    {
                        var feature = await mediator.Send(body, ct);
                        return Results.Created($"/api/tenants/{tenant}/secure-features?search={feature.Code}", feature);
                    }
                )
                .WithTags("Secure features")
                .WithName("AddCustomFeature")
                .Produces<SecureFeature>(StatusCodes.Status201Created)
                .WithSummary("Add a custom secure feature")
                .WithDescription("A tenant's own feature beside the catalogue. Audited.")
                .RequireFeature(RolesModule.MaintainRoles);
    }
}
