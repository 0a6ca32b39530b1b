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
            var permissions = !user.Facts.IsActive ? [] : access.Compile(user.Facts, user.Access, q.SalePointId)
                .Where(s => s.Value.Why is null)
                .GroupBy(s => s.Feature.Code)
                .Select(g =>
                {
                    var feature = g.First().Feature;
                    var holding = g.Select(s => s.Value.Holding).Aggregate((a, b) => a.Max(b));
                    return new Permission(feature.Code, feature.Name, feature.Area, holding.Qualifier, holding.Unlimited,
                        g.Select(s => new Source(s.Role is null ? "direct" : "role", s.Role?.Id.ToString(), s.Role?.Name, s.SalePointId?.ToString(), s.Qualifier)).ToList(),
                        feature.Effects.Where(e => e.FromQualifier is null || holding.Meets(e.FromQualifier)).ToList());
                })
                .OrderBy(p => p.Area, StringComparer.Ordinal).ThenBy(p => p.Code, StringComparer.Ordinal).ToList();
            return new Result(user.Facts.UserId.ToString(), user.Facts.IsActive, user.Facts.IsSystemAdministrator, permissions);
        }
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
