using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Roles.Decisions;

namespace OrderStream.Modules.Roles.Catalogue;

/// <summary>
/// A tenant's own secure feature beside the shipped catalogue; its code may not shadow a shipped one, nor reuse a
/// removed one's. Limited to a tier from the start only by a System Administrator (ADR 0029).
/// </summary>
internal static class AddCustomFeature
{
    public sealed record Command(string Code, string Name, string Area, string? Description, string? Tier = null)
        : ICommand<SecureFeature>;

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
            RuleFor(c => c.Tier)
                .Must(t => t is null || Enum.GetNames<Tier>().Contains(t))
                .WithMessage($"The tier must be one of {string.Join(", ", Enum.GetNames<Tier>())}.");
        }
    }

    internal sealed class Handler(
        IDocumentSession session,
        AccessEngine engine,
        TenantContext tenant,
        ActorContext actor
    ) : IRequestHandler<Command, SecureFeature>
    {
        public async Task<SecureFeature> Handle(Command c, CancellationToken ct)
        {
            var access = await engine.TenantAsync(tenant.Tenant, ct);
            if (await access.FeatureAsync(engine, c.Code, ct) is not null)
                throw new ConflictException($"There is a secure feature '{c.Code}' already.", "code");
            if (await session.Query<CustomFeature>().AnyAsync(f => f.Code == c.Code, ct))
                throw new ConflictException($"'{c.Code}' was a custom feature's code, removed since.", "code");
            var tier = c.Tier is null ? Tier.None : Enum.Parse<Tier>(c.Tier);
            if (
                tier != Tier.None
                && !(await access.GranterAsync(engine, actor.RequireUser().UserId, ct)).Facts.IsSystemAdministrator
            )
                throw new ForbiddenException("Only a System Administrator may limit a secure feature to a tier.");
            var added = new CustomFeatureAdded(
                Guid.CreateVersion7(),
                c.Code,
                c.Name.Trim(),
                c.Area.Trim(),
                c.Description?.Trim()
            );
            session.Events.StartStream<CustomFeature>(added.Id, added);
            if (tier != Tier.None)
            {
                var tiers = await session.FetchStreamForUpdateAsync<FeatureTiers>(
                    FeatureTiers.StreamId,
                    null,
                    "feature tiers",
                    ct
                );
                tiers.AppendOne(new FeatureTierChanged(added.Code, tier, Tier.None));
            }
            return CustomFeature.Create(added).ToFeature(tier);
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/secure-features",
                    async (string tenant, Command body, IMediator mediator, HttpContext http, CancellationToken ct) =>
                    {
                        var feature = await mediator.Send(body, ct);
                        http.Response.Headers.ETag = ETags.Of(1); // a new stream's first version
                        return Results.Created($"/api/tenants/{tenant}/secure-features?search={feature.Code}", feature);
                    }
                )
                .WithTags("Secure features")
                .WithName("AddCustomFeature")
                .Produces<SecureFeature>(StatusCodes.Status201Created)
                .WithSummary("Add a custom secure feature")
                .WithDescription(
                    "A tenant's own feature beside the catalogue; `tier` (System Administrators only) limits who "
                        + "may hold and give it. Audited."
                )
                .AnswersWithETag()
                .RequireFeature(RolesModule.MaintainRoles);
    }
}
