using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Roles.Catalogue;

/// <summary>
/// A tenant's own feature renamed, moved to another area, described again, deactivated or activated again; inactive,
/// it gives nothing to whoever holds it. Shipped features are the catalogue's: a tenant changes only their tier.
/// </summary>
internal static class UpdateCustomFeature
{
    public sealed record Body(string Name, string Area, string? Description, bool? Active);

    public sealed record Command(string Code, string Name, string Area, string? Description, bool? Active)
        : ICommand<CustomFeature>
    {
        public long? ExpectedVersion { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
            RuleFor(c => c.Area).NotEmpty().MaximumLength(100);
            RuleFor(c => c.Description).MaximumLength(2000);
            RuleFor(c => c.Active).NotNull().WithMessage("active must be true or false.");
        }
    }

    internal sealed class Handler(IDocumentSession session, AccessEngine engine, TenantContext tenant)
        : IRequestHandler<Command, CustomFeature>
    {
        public async Task<CustomFeature> Handle(Command c, CancellationToken ct)
        {
            var custom = await RequireCustomAsync(session, engine, tenant, c.Code, ct);
            var (stream, feature) = await session.FetchForUpdateAsync<CustomFeature>(
                custom.Id,
                c.ExpectedVersion,
                "secure feature",
                ct
            );
            var (name, area, description) = (c.Name.Trim(), c.Area.Trim(), c.Description?.Trim());
            if (name != feature.Name || area != feature.Area || description != feature.Description)
                stream.AppendOne(
                    new CustomFeatureEdited(
                        feature.Code,
                        name,
                        area,
                        description,
                        feature.Name,
                        feature.Area,
                        feature.Description
                    )
                );
            if (c.Active!.Value != feature.Active)
                stream.AppendOne(new CustomFeatureActiveChanged(feature.Code, name, c.Active.Value));
            return feature;
        }
    }

    /// <summary>The tenant's own feature of that code: 404 when there is none, 409 for a shipped one.</summary>
    public static async Task<CustomFeature> RequireCustomAsync(
        IQuerySession session,
        AccessEngine engine,
        TenantContext tenant,
        string code,
        CancellationToken ct
    )
    {
        var feature = await (await engine.TenantAsync(tenant.Tenant, ct)).FeatureAsync(engine, code, ct)
            ?? throw new NotFoundException("Secure feature", code);
        if (!feature.Custom)
            throw new ConflictException(
                $"'{feature.Name}' ships with OrderStream: a tenant changes only its tier (PUT /feature-tiers)."
            );
        return await session.Query<CustomFeature>().SingleAsync(f => f.Code == code, ct);
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPut(
                    "/api/tenants/{tenant}/secure-features/{code}",
                    async (
                        string code,
                        Body body,
                        IMediator mediator,
                        IQuerySession session,
                        HttpContext http,
                        CancellationToken ct
                    ) =>
                    {
                        var command = new Command(code, body.Name, body.Area, body.Description, body.Active)
                        {
                            ExpectedVersion = ETags.ExpectedVersion(http.Request),
                        };
                        var id = (await mediator.Send(command, ct)).Id;
                        var feature = await session.LoadAsync<CustomFeature>(id, ct);
                        return http.WithETag(feature!.Version, CustomFeatureResponse.From(feature));
                    }
                )
                .WithTags("Secure features")
                .WithName("UpdateCustomFeature")
                .WithSummary("Change a custom secure feature")
                .WithDescription(
                    "Name, area, description and whether it is active; inactive, it gives nothing to its holders. "
                        + "Its tier is changed with the other features' (PUT /feature-tiers). Send `If-Match` with "
                        + "the `ETag` you read: 412 when stale. Audited."
                )
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<CustomFeatureResponse>()
                .RequireFeature(RolesModule.MaintainRoles);
    }
}
