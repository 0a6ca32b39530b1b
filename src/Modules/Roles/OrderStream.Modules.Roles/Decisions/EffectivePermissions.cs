using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.BuildingBlocks.TimeBoxes;
using OrderStream.Modules.Roles.Catalogue;

namespace OrderStream.Modules.Roles.Decisions;

/// <summary>
/// Every feature a user holds (tenant-wide, plus at a sale point when asked), with the qualifier, where it comes from,
/// and the effects that apply at that qualifier, which front ends use to show fields, menus and actions.
/// <c>/me/permissions</c> is the caller's own.
/// </summary>
internal static class EffectivePermissions
{
    /// <summary>
    /// <c>AsOf</c>: the permissions as they were at that instant, rebuilt from the history (issue #6).
    /// </summary>
    public sealed record Query(Guid UserId, Guid? SalePointId, bool Self, DateTimeOffset? AsOf = null) : IQuery<Result>;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator(TimeProvider clock) => RuleFor(q => q.AsOf).PastInstant(clock);
    }

    public sealed record Source(string Kind, string? RoleId, string? RoleName, string? SalePointId, int? Qualifier);

    public sealed record Permission(
        string Code,
        string Name,
        string Area,
        int? Qualifier,
        bool Unlimited,
        IReadOnlyList<Source> Sources,
        IReadOnlyList<Effect> Effects
    );

    public sealed record Result(
        string UserId,
        bool IsActive,
        bool IsSystemAdministrator,
        IReadOnlyList<Permission> Permissions
    );

    internal sealed class Handler(AccessEngine engine, TenantContext tenant, ActorContext actor)
        : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query q, CancellationToken ct)
        {
            var access = await engine.TenantAsync(tenant.Tenant, ct);
            var me = actor.RequireUser();
            var caller = me.UserId;
            // A POS token lists its own user's permissions at its sale point (ADR 0020).
            if (me.IsPos)
            {
                me.RequirePosScope(q.UserId, q.SalePointId);
                q = q with { SalePointId = me.SalePointId };
            }
            if (!q.Self && q.UserId != caller && !access.MayAskAboutOthers(caller))
                throw new ForbiddenException(
                    $"Seeing another user's permissions needs '{RolesModule.MaintainRoles}' or "
                        + $"'{RolesModule.CheckAuthorization}'."
                );
            if (q.AsOf is { } asOf)
            {
                if (await access.UserAsync(engine, q.UserId, ct) is null)
                    throw new NotFoundException("User", q.UserId.ToString());
                access = await engine.AsOfAsync(tenant.Tenant, asOf, [q.UserId], ct);
            }
            var user = await access.UserAsync(engine, q.UserId, ct)
                ?? throw (
                    q.AsOf is { } then
                        ? new FieldRuleException(
                            "asOf",
                            $"User '{q.UserId}' did not exist yet at {Validity.Text(then)}."
                        )
                        : new NotFoundException("User", q.UserId.ToString())
                );
            // At a sale point the user does not work at (or an inactive one), its own features do not apply: as in a
            // decision.
            var worksHere = true;
            if (q.SalePointId is { } here)
            {
                worksHere = access.WorksAt(
                    user,
                    await access.RequireLocationAsync(engine, here, false, "salePointId", ct)
                );
            }
            var permissions = await ConditionedAsync(List(access, user, q.SalePointId, worksHere), access, engine, ct);
            return new Result(
                user.Facts.UserId.ToString(),
                user.Facts.IsActive,
                user.Facts.IsSystemAdministrator,
                permissions
            );
        }
    }

    /// <summary>
    /// The valid grants grouped per feature, in catalogue order (the tenant's own features last): highest qualifier,
    /// every source, the effects at that qualifier. Front ends ask for it on every screen: sorted by feature index and
    /// walked once.
    /// </summary>
    internal static IReadOnlyList<Permission> List(
        TenantAccess access,
        UserEntry user,
        Guid? salePointId,
        bool salePointFeatures = true
    )
    {
        if (!user.Facts.IsActive)
            return [];
        if (salePointId is null)
            return TenantWide(access, user);
        var sources = access.Grants(user, salePointId, _buffer ??= []);
        // Each feature's grants chained in a bucket per feature index: one pass in, one pass out in index order, no
        // sort.
        Span<int> first = stackalloc int[access.FeatureCount];
        first.Fill(-1);
        var next = sources.Count <= 2048 ? stackalloc int[sources.Count] : new int[sources.Count];
        for (var i = sources.Count - 1; i >= 0; i--)
        {
            if (sources[i].Why is not null)
                continue;
            next[i] = first[sources[i].Index];
            first[sources[i].Index] = i;
        }
        var permissions = new List<Permission>();
        for (var index = 0; index < first.Length; index++)
        {
            if (
                first[index] < 0
                || (!salePointFeatures && sources[first[index]].Feature.Scope == FeatureScope.SalePoint)
            )
                continue;
            var count = 0;
            var holding = sources[first[index]].Holding;
            for (var i = first[index]; i >= 0; i = next[i], count++)
                holding = holding.Max(sources[i].Holding);
            var from = new Source[count];
            count = 0;
            for (var i = first[index]; i >= 0; i = next[i])
            {
                var s = sources[i];
                // A tenant-wide role's sources are made once, with the role in the engine (CompiledRole).
                from[count++] =
                    s.Role is { } role
                    && s.SalePointId is null
                    && access.Compiled(role.Id) is { } compiled
                    && ReferenceEquals(compiled.Role, role)
                        ? compiled.Sources[s.Position]
                        : new Source(
                            s.Role is null ? "direct" : "role",
                            s.Role?.IdText,
                            s.Role?.Name,
                            s.SalePointId?.ToString(),
                            s.Qualifier
                        );
            }
            var feature = sources[first[index]].Feature;
            permissions.Add(
                new Permission(
                    feature.Code,
                    feature.Name,
                    feature.Area,
                    holding.Qualifier,
                    holding.Unlimited,
                    from,
                    EffectsAt(feature, holding)
                )
            );
        }
        return permissions;
    }

    // Listing is synchronous, so one buffer per thread is never shared.
    [ThreadStatic]
    private static List<TenantAccess.Source>? _buffer;

    /// <summary>
    /// The tenant-wide listing (what front ends ask for on every screen) from what the engine compiled already: the
    /// user's holdings give each feature and its qualifier in index order; each role's grants, kept in that order, are
    /// merged alongside for the sources. Nothing is judged again: the rules judge a feature for a user, not a grant, so
    /// when the user holds a feature every grant of it is valid.
    /// </summary>
    internal static IReadOnlyList<Permission> TenantWide(TenantAccess access, UserEntry user)
    {
        // Time-boxed roles and grants outside their window give nothing now (the holdings were compiled without them).
        var boxed = user.TimeBoxed;
        var now = boxed ? access.Now : default;
        var assignments = user.Access.Roles;
        var roles = new CompiledRole?[assignments.Count];
        for (var r = 0; r < roles.Length; r++)
            roles[r] =
                !boxed || Validity.Covers(assignments[r].ValidFrom, assignments[r].ValidUntil, now)
                    ? access.Compiled(assignments[r].RoleId)
                    : null;
        Span<int> cursor = stackalloc int[roles.Length];
        var direct = user.Access.Grants;
        Span<int> directIndex = stackalloc int[direct.Count];
        for (var g = 0; g < direct.Count; g++)
            directIndex[g] =
                !boxed || Validity.Covers(direct[g].ValidFrom, direct[g].ValidUntil, now)
                    ? access.IndexOf(direct[g].FeatureCode)
                    : -1;
        var bits = user.Holdings.Bits;
        var qualifiers = user.Holdings.Qualifiers;
        var permissions = new Permission[qualifiers.Length];
        // A role names a feature once (its validator), so a feature has at most one source per role and per direct
        // grant: each source found as (role number, or -1 - direct grant number; place in the role's sorted grants).
        Span<int> found = stackalloc int[2 * (roles.Length + direct.Count)];
        for (int word = 0, rank = 0; word < bits.Length; word++)
        for (var left = bits[word]; left != 0; left &= left - 1, rank++)
        {
            var index = (word << 6) + System.Numerics.BitOperations.TrailingZeroCount(left);
            var holding = Holdings.HoldingAt(qualifiers[rank]);
            var count = 0;
            for (var g = 0; g < direct.Count; g++)
                if (directIndex[g] == index)
                    count = Found(found, count, -1 - g, 0);
            for (var r = 0; r < roles.Length; r++)
            {
                if (roles[r] is not { Sorted: var sorted })
                    continue;
                var c = cursor[r];
                while (c < sorted.Length && sorted[c] < index)
                    c++;
                cursor[r] = c;
                if (c < sorted.Length && sorted[c] == index)
                    count = Found(found, count, r, c);
            }
            // One role gives it: that grant's listing is the user's, made once with the role.
            if (
                count == 2
                && found[0] >= 0
                && roles[found[0]]!.Listed[found[1]] is { } alone
                && alone.Unlimited == holding.Unlimited
                && (alone.Unlimited || alone.Qualifier == holding.Qualifier)
            )
            {
                permissions[rank] = alone;
                continue;
            }
            var from = new Source[count / 2];
            for (var i = 0; i < from.Length; i++)
            {
                var (who, place) = (found[2 * i], found[2 * i + 1]);
                from[i] =
                    who >= 0
                        ? roles[who]!.Listed[place]!.Sources[0]
                        : new Source("direct", null, null, null, direct[-1 - who].Qualifier);
            }
            // Compiled holdings keep no number beside "unlimited"; the listing shows the highest one granted, as a
            // decision does.
            var qualifier = holding.Qualifier;
            if (holding.Unlimited)
                foreach (var source in from)
                    if (source.Qualifier > (qualifier ?? int.MinValue))
                        qualifier = source.Qualifier;
            permissions[rank] = Listing(access.FeatureAt(index), holding, qualifier, from);
        }
        return permissions;
    }

    private static int Found(Span<int> found, int count, int who, int position)
    {
        found[count] = who;
        found[count + 1] = position;
        return count + 2;
    }

    /// <summary>
    /// Effects that hang on a tenant setting or on a second feature (ADR 0028) are kept only where those hold: the
    /// setting on, the other feature among the user's. The settings are read only when such a feature is listed.
    /// </summary>
    private static async Task<IReadOnlyList<Permission>> ConditionedAsync(
        IReadOnlyList<Permission> permissions,
        TenantAccess access,
        AccessEngine engine,
        CancellationToken ct
    )
    {
        List<Permission>? changed = null;
        IReadOnlySet<string>? settingsOn = null;
        for (var i = 0; i < permissions.Count; i++)
        {
            var permission = permissions[i];
            if (access.Feature(permission.Code) is not { HasConditions: true })
                continue;
            settingsOn ??= await access.SettingsOnAsync(engine, ct);
            var effects = permission
                .Effects.Where(e =>
                    (e.WhenSetting is null || settingsOn.Contains(e.WhenSetting))
                    && (e.RequiresAlso is null || permissions.Any(p => p.Code == e.RequiresAlso))
                )
                .ToList();
            if (effects.Count == permission.Effects.Count)
                continue;
            changed ??= [.. permissions];
            changed[i] = permission with { Effects = effects };
        }
        return changed ?? permissions;
    }

    internal static Permission Listing(
        SecureFeature feature,
        Holding holding,
        int? qualifier,
        IReadOnlyList<Source> from
    ) => new(feature.Code, feature.Name, feature.Area, qualifier, holding.Unlimited, from, EffectsAt(feature, holding));

    private static IReadOnlyList<Effect> EffectsAt(SecureFeature feature, Holding holding)
    {
        if (!feature.HasThresholds)
            return feature.Effects;
        var effects = new List<Effect>(feature.Effects.Count);
        foreach (var effect in feature.Effects)
            if (
                (effect.FromQualifier is null || holding.Meets(effect.FromQualifier))
                && (effect.BelowQualifier is not { } below || !holding.Meets(below))
            )
                effects.Add(effect);
        return effects;
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
        {
            app.MapGet(
                    "/api/tenants/{tenant}/users/{id:guid}/effective-permissions",
                    (Guid id, Guid? salePointId, DateTimeOffset? asOf, IMediator mediator, CancellationToken ct) =>
                        mediator.Send(new Query(id, salePointId, false, asOf), ct)
                )
                .WithTags("Authorization")
                .WithName("GetEffectivePermissions")
                .WithSummary("Read a user's effective permissions")
                .WithDescription(
                    "Every feature the user holds, with its qualifier and where it comes from; `asOf` "
                        + "reads a past instant."
                )
                .RequireAuthorization();
            app.MapGet(
                    "/api/tenants/{tenant}/me/permissions",
                    (Guid? salePointId, IMediator mediator, ActorContext actor, CancellationToken ct) =>
                        mediator.Send(new Query(actor.RequireUser().UserId, salePointId, true), ct)
                )
                .WithTags("Authorization")
                .WithName("GetMyPermissions")
                .WithSummary("Read my permissions")
                .WithDescription(
                    "The caller's own effective permissions: what the console shows and hides follows " + "them."
                )
                .RequireAuthorization()
                .AcceptPosTokens();
        }
    }
}
