using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Roles.Decisions;

namespace OrderStream.Modules.Roles.Catalogue;

/// <summary>
/// A System Administrator limits features further in their tenant (seed 001: "any secure feature can be limited so it
/// is not available to all users"): a shipped feature's tier may be raised, never set below the catalogue's; a custom
/// feature's set to any. Refused while someone holds a feature they could not hold at its new tier (ADR 0029).
/// </summary>
internal static class ChangeFeatureTiers
{
    public sealed record Body(Dictionary<string, string?>? Tiers);

    public sealed record Command(IReadOnlyDictionary<string, string?>? Tiers, long? ExpectedVersion) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Tiers).NotEmpty().WithMessage("Name at least one feature and its tier.");
            RuleFor(c => c.Tiers)
                .Custom(
                    (tiers, context) =>
                    {
                        foreach (var (code, tier) in tiers ?? new Dictionary<string, string?>())
                            if (!Enum.GetNames<Tier>().Contains(tier))
                                context.AddFailure(
                                    $"tiers.{code}",
                                    $"The tier must be one of {string.Join(", ", Enum.GetNames<Tier>())}."
                                );
                    }
                );
        }
    }

    internal sealed class Handler(
        IDocumentSession session,
        AccessEngine engine,
        FeatureCatalogue catalogue,
        TenantContext tenant,
        ActorContext actor
    ) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            var access = await engine.TenantAsync(tenant.Tenant, ct);
            var caller = await access.GranterAsync(engine, actor.RequireUser().UserId, ct);
            if (!caller.Facts.IsSystemAdministrator)
                throw new ForbiddenException("Only a System Administrator may change a secure feature's tier.");
            var stream = await session.FetchStreamForUpdateAsync<FeatureTiers>(
                FeatureTiers.StreamId,
                c.ExpectedVersion,
                "feature tiers",
                ct
            );
            foreach (var (code, text) in c.Tiers!)
            {
                var feature = await access.FeatureAsync(engine, code, ct)
                    ?? throw new FieldRuleException($"tiers.{code}", $"There is no secure feature '{code}'.");
                var tier = Enum.Parse<Tier>(text!);
                if (catalogue.Find(code) is { } shipped && tier < shipped.Tier)
                    throw new FieldRuleException(
                        $"tiers.{code}",
                        $"'{feature.Name}' ships limited to {shipped.Tier}: a tenant may raise its tier, never "
                            + "lower it."
                    );
                if (tier == feature.Tier)
                    continue;
                if (tier > feature.Tier)
                    await RequireHoldersMayHoldAsync(access, feature with { Tier = tier }, ct);
                stream.AppendOne(new FeatureTierChanged(code, tier, feature.Tier));
            }
            return Unit.Value;
        }

        // Raised past a holder's standing, the feature would silently do nothing for them (as a role edit, issue #23):
        // refused, naming them, so the administrator takes it from them first.
        private async Task RequireHoldersMayHoldAsync(TenantAccess access, SecureFeature raised, CancellationToken ct)
        {
            bool RoleGives(Guid roleId) => access.Role(roleId)?.Grants.Any(g => g.FeatureCode == raised.Code) == true;
            var refused = (await access.AllUsersAsync(engine, ct))
                .Where(u =>
                    u.Access.Grants.Any(g => g.FeatureCode == raised.Code)
                    || u.Access.Roles.Any(r => RoleGives(r.RoleId))
                    || u.Locations.SalePoints.Any(s => RoleGives(s.RoleId))
                )
                .Select(u => Rules.WhyNotHeld(raised, u.Facts, access.IsSystemManager(u)))
                .OfType<string>()
                .ToList();
            if (refused.Count > 0)
                throw new ConflictException(
                    $"'{raised.Name}' at {raised.Tier} would do nothing for users who hold it now: "
                        + string.Join(" ", refused.Take(20))
                        + (refused.Count > 20 ? $" (and {refused.Count - 20} more)" : "")
                        + " Take it from them first."
                );
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPut(
                    "/api/tenants/{tenant}/feature-tiers",
                    async (Body body, IMediator mediator, HttpContext http, CancellationToken ct) =>
                    {
                        await mediator.Send(new Command(body.Tiers, ETags.ExpectedVersion(http.Request)), ct);
                        return await GetFeatureTiers.AnswerAsync(mediator, http, ct);
                    }
                )
                .WithTags("Secure features")
                .WithName("ChangeFeatureTiers")
                .WithSummary("Change features' tiers")
                .WithDescription(
                    "System Administrators only. Sets the named features' tiers (`None`, `HostCompanyManager`, "
                        + "`SystemManager`, `SystemAdministrator`): a shipped feature's may be raised, never below the "
                        + "catalogue's; a custom feature's may be any. 409 naming the users who hold a feature they "
                        + "could not hold at its new tier. Send `If-Match` with the `ETag` you read: 412 when stale. "
                        + "Audited; decisions follow within a second."
                )
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<FeatureTiersResponse>()
                .RequireFeature(RolesModule.MaintainRoles);
    }
}
