using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.BuildingBlocks.TimeBoxes;

namespace OrderStream.Modules.Roles.Decisions;

/// <summary>
/// Who could use a feature (at a sale point, from a qualifier on), now or at any past instant (issue #6): each holder
/// with every grant that gave it, and who made that grant and when. Same decision as a check, for every user of the
/// tenant.
/// </summary>
internal static class Holders
{
    public sealed record Query(string? Feature, int? MinQualifier, Guid? SalePointId, DateTimeOffset? AsOf)
        : IQuery<Result>;

    public sealed record Grant(
        string Kind,
        string? RoleId,
        string? RoleName,
        string? SalePointId,
        int? Qualifier,
        DateTimeOffset? ValidUntil,
        DateTimeOffset? GivenAt,
        string? GivenById,
        string? GivenByName
    );

    public sealed record Holder(
        string UserId,
        string Name,
        int? Qualifier,
        bool Unlimited,
        IReadOnlyList<Grant> Grants
    );

    public sealed record Result(
        string Feature,
        string FeatureName,
        int? MinQualifier,
        string? SalePointId,
        DateTimeOffset At,
        int Count,
        IReadOnlyList<Holder> Holders
    );

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(q => q.Feature).NotEmpty().MaximumLength(100);
            RuleFor(q => q.MinQualifier).GreaterThanOrEqualTo(0);
            RuleFor(q => q.AsOf).PastInstant(clock);
        }
    }

    internal sealed class Handler(AccessEngine engine, TenantContext tenant, ActorContext actor)
        : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query q, CancellationToken ct)
        {
            var now = await engine.TenantAsync(tenant.Tenant, ct);
            if (!now.MayAskAboutOthers(actor.RequireUser().UserId))
                throw new ForbiddenException(
                    $"Seeing who holds a feature needs '{RolesModule.CheckAuthorization}' or the rights to manage "
                        + $"users' rights."
                );
            var feature = await now.FeatureAsync(engine, q.Feature!, ct)
                ?? throw new FieldRuleException("feature", $"There is no secure feature '{q.Feature}'.");
            var access = q.AsOf is { } asOf ? await engine.AsOfAsync(tenant.Tenant, asOf, null, ct) : now;
            var salePoint = q.SalePointId is { } id
                ? await access.RequireLocationAsync(engine, id, false, "salePointId", ct)
                : null;
            var holders = new List<Holder>();
            foreach (
                var user in (await access.AllUsersAsync(engine, ct))
                    .OrderBy(u => u.Facts.Name, StringComparer.CurrentCultureIgnoreCase)
                    .ThenBy(u => u.Facts.UserId)
            )
            {
                var decision = Explain.Decide(access, user, feature, q.MinQualifier, salePoint, null);
                if (!decision.Allowed)
                    continue;
                var grants = access
                    .GrantsOf(user, salePoint?.Id, feature.Code)
                    .Where(s => s.Why is null)
                    .Select(s => Given(now, user, s))
                    .ToList();
                holders.Add(
                    new Holder(
                        user.Facts.UserId.ToString(),
                        user.Facts.Name,
                        decision.Qualifier,
                        decision.Unlimited,
                        grants
                    )
                );
            }
            return new Result(
                feature.Code,
                feature.Name,
                q.MinQualifier,
                salePoint?.Id.ToString(),
                access.Now,
                holders.Count,
                holders
            );
        }

        // Who gave a grant is named as they are called now (they may have been renamed since).
        private static Grant Given(TenantAccess now, UserEntry user, TenantAccess.Source s)
        {
            var (at, by) =
                s.Role is null ? (user.Access.Grants[s.Position].GivenAt, user.Access.Grants[s.Position].GivenBy)
                : s.SalePointId is { } here
                    ? user
                        .Locations.SalePoints.Where(p => p.SalePointId == here)
                        .Select(p => (p.GivenAt, p.GivenBy))
                        .FirstOrDefault()
                : user.Access.Role(s.Role.Id) is { } assignment ? (assignment.GivenAt, assignment.GivenBy)
                : (null, null);
            var name = Guid.TryParse(by, out var giver) ? now.User(giver)?.Facts.Name : by;
            return new Grant(
                s.Role is null ? "direct" : "role",
                s.Role?.IdText,
                s.Role?.Name,
                s.SalePointId?.ToString(),
                s.Qualifier,
                s.Until,
                at,
                by,
                name
            );
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet(
                    "/api/tenants/{tenant}/authorization/holders",
                    (
                        string? feature,
                        int? minQualifier,
                        Guid? salePointId,
                        DateTimeOffset? asOf,
                        IMediator mediator,
                        CancellationToken ct
                    ) => mediator.Send(new Query(feature, minQualifier, salePointId, asOf), ct)
                )
                .WithTags("Authorization")
                .WithName("FeatureHolders")
                .WithSummary("List who holds a feature")
                .WithDescription("The users holding a secure feature, with where it comes from.")
                .Produces<Result>()
                .RequireAuthorization();
    }
}
