using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Roles.Catalogue;

namespace OrderStream.Modules.Roles.Decisions;

/// <summary>
/// Every feature a user holds (tenant-wide, plus at a sale point when asked), with the qualifier, where it comes from, and
/// the effects that apply at that qualifier, which front ends use to show fields, menus and actions. <c>/me/permissions</c>
/// is the caller's own.
/// </summary>
internal static class EffectivePermissions
{
    public sealed record Query(Guid UserId, Guid? SalePointId, bool Self) : IQuery<Result>;

    public sealed record Source(string Kind, string? RoleId, string? RoleName, string? SalePointId, int? Qualifier);

    public sealed record Permission(string Code, string Name, string Area, int? Qualifier, bool Unlimited, IReadOnlyList<Source> Sources,
        IReadOnlyList<Effect> Effects);

    public sealed record Result(string UserId, bool IsActive, bool IsSystemAdministrator, IReadOnlyList<Permission> Permissions);

    internal sealed class Handler(AccessEngine engine, TenantContext tenant, ActorContext actor) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query q, CancellationToken ct)
        {
            var access = await engine.TenantAsync(tenant.Tenant, ct);
            var caller = actor.RequireUser().UserId;
            if (!q.Self && q.UserId != caller && !(access.Holds(caller, RolesModule.MaintainRoles) || access.Holds(caller, RolesModule.BackOfficeUsers)
                    || access.Holds(caller, RolesModule.CheckAuthorization)))
                throw new ForbiddenException($"Seeing another user's permissions needs '{RolesModule.MaintainRoles}' or '{RolesModule.CheckAuthorization}'.");
            var user = await access.UserAsync(engine, q.UserId, ct) ?? throw new NotFoundException("User", q.UserId.ToString());
            var permissions = List(access, user, q.SalePointId);
            return new Result(user.Facts.UserId.ToString(), user.Facts.IsActive, user.Facts.IsSystemAdministrator, permissions);
        }
    }

    /// <summary>
    /// The valid grants grouped per feature: highest qualifier, every source, the effects at that qualifier. Front ends ask
    /// for this on every screen, so it is written without LINQ (measured in the issue #3 note).
    /// </summary>
    internal static IReadOnlyList<Permission> List(TenantAccess access, UserEntry user, Guid? salePointId)
    {
        if (!user.Facts.IsActive) return [];
        var byFeature = new Dictionary<string, (SecureFeature Feature, Holding Holding, List<Source> Sources)>();
        foreach (var s in access.Compile(user.Facts, user.Access, salePointId))
        {
            if (s.Why is not null) continue;
            var source = new Source(s.Role is null ? "direct" : "role", s.Role?.IdText, s.Role?.Name, s.SalePointId?.ToString(), s.Qualifier);
            if (byFeature.TryGetValue(s.Feature.Code, out var held))
            {
                held.Sources.Add(source);
                byFeature[s.Feature.Code] = held with { Holding = held.Holding.Max(s.Holding) };
            }
            else byFeature[s.Feature.Code] = (s.Feature, s.Holding, [source]);
        }
        var permissions = new List<Permission>(byFeature.Count);
        foreach (var (feature, holding, sources) in byFeature.Values)
        {
            var effects = feature.Effects.All(e => e.FromQualifier is null || holding.Meets(e.FromQualifier))
                ? feature.Effects
                : feature.Effects.Where(e => e.FromQualifier is null || holding.Meets(e.FromQualifier)).ToList();
            permissions.Add(new Permission(feature.Code, feature.Name, feature.Area, holding.Qualifier, holding.Unlimited, sources, effects));
        }
        permissions.Sort((a, b) => string.CompareOrdinal(a.Area, b.Area) is var c and not 0 ? c : string.CompareOrdinal(a.Code, b.Code));
        return permissions;
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
        {
            app.MapGet("/api/tenants/{tenant}/users/{id:guid}/effective-permissions", (Guid id, Guid? salePointId, IMediator mediator, CancellationToken ct) =>
                    mediator.Send(new Query(id, salePointId, false), ct))
                .WithTags("Authorization").WithName("GetEffectivePermissions").RequireAuthorization();
            app.MapGet("/api/tenants/{tenant}/me/permissions", (Guid? salePointId, IMediator mediator, ActorContext actor, CancellationToken ct) =>
                    mediator.Send(new Query(actor.RequireUser().UserId, salePointId, true), ct))
                .WithTags("Authorization").WithName("GetMyPermissions").RequireAuthorization();
        }
    }
}
