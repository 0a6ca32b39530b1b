using System.Security.Cryptography;
using System.Text;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Roles.Contracts;

namespace OrderStream.Modules.Roles.Decisions;

/// <summary>
/// A change of a user refused by <see cref="WhoMayChangeWhom"/>: who tried (the event's actor) what, and the rule.
/// </summary>
internal sealed record UserChangeRefused(Guid UserId, string What, string Rule, DateTimeOffset At)
{
    public static Guid StreamId(Guid userId) =>
        new(MD5.HashData(Encoding.UTF8.GetBytes("user-change-refusals:" + userId)));
}

/// <summary>
/// Nobody changes a user who holds more than they do (ADR 0019): otherwise a user manager could set the password of
/// anyone above them, log in as them and use their rights. A System Administrator changes anyone; a System Manager is
/// changed only by a System Manager or Administrator; anyone else only by a caller who holds every feature the user
/// holds, at no lower qualifier, tenant-wide and at each of the user's sale points.
/// </summary>
internal static class WhoMayChangeWhom
{
    private static readonly Guid TenantWide = Guid.Empty;

    /// <summary>Why <paramref name="actor"/> may not change <paramref name="target"/> (null: they may).</summary>
    public static string? WhyNot(TenantAccess access, UserEntry actor, UserEntry target, bool changesType)
    {
        if (actor.Facts.IsSystemAdministrator)
            return null;
        if (actor.Facts.UserId == target.Facts.UserId)
            return changesType
                ? "your back-office type decides which of your rights apply, so another user manager sets it."
                : null;
        var name = target.Facts.Name;
        if (target.Facts.IsSystemAdministrator)
            return $"{name} is a System Administrator, and only a System Administrator may change them.";
        var theirs = Held(access, target, potential: true);
        var systemManager = access.IndexOf(RolesModule.SystemManager);
        if (theirs[TenantWide].ContainsKey(systemManager) && !access.IsSystemManager(actor))
            return $"{name} is a System Manager, and only a System Manager or a System Administrator may change them.";
        var mine = Held(access, actor, potential: false);
        var missing = new List<string>();
        var missingTenantWide = new HashSet<int>();
        foreach (var (place, held) in theirs.OrderBy(p => p.Key != TenantWide))
        {
            var own = mine.GetValueOrDefault(place) ?? mine[TenantWide];
            foreach (var (index, holding) in held.OrderBy(h => h.Key))
            {
                var covered =
                    own.TryGetValue(index, out var have)
                    && (have.Unlimited || !holding.Unlimited && have.Meets(holding.Qualifier));
                if (covered || (place != TenantWide && missingTenantWide.Contains(index)))
                    continue;
                if (place == TenantWide)
                    missingTenantWide.Add(index);
                var where = place == TenantWide ? "" : $" at sale point {access.LocationCode(place)}";
                missing.Add(
                    $"'{access.FeatureAt(index).Name}' {Level(holding)}{where}{Yours(have, own.ContainsKey(index))}"
                );
            }
        }
        if (missing.Count == 0)
            return null;
        var listed = string.Join("; ", missing.Take(3)) + (missing.Count > 3 ? $" and {missing.Count - 3} more" : "");
        return $"{name} holds what you do not hold: {listed}. Only someone who holds all of it, or a System "
            + $"Administrator, "
            + "may change them.";
    }

    private static string Level(Holding h) =>
        h.Unlimited ? "without a limit"
        : h.Qualifier is { } q ? $"with qualifier {q}"
        : "";

    private static string Yours(Holding have, bool held) =>
        !held ? "" : $" (you hold it {(have.Qualifier is { } q ? $"with qualifier {q}" : "without a qualifier")})";

    /// <summary>
    /// What a user holds, tenant-wide (<see cref="Guid.Empty"/>) and at each sale point they are assigned to. The
    /// caller's own rights count as they apply now; the changed user's also as they will apply (<paramref
    /// name="potential"/>): grants whose window has not begun yet, and rights of another back-office type that a change
    /// of type would wake.
    /// </summary>
    private static Dictionary<Guid, Dictionary<int, Holding>> Held(TenantAccess access, UserEntry user, bool potential)
    {
        var now = access.Now;
        var places = new Dictionary<Guid, Dictionary<int, Holding>>
        {
            [TenantWide] = Combine(access.Grants(user, null)),
        };
        foreach (var at in user.Locations.SalePoints)
            if (
                potential
                    ? at.ValidUntil is null || at.ValidUntil > now
                    : BuildingBlocks.TimeBoxes.Validity.Covers(at.ValidFrom, at.ValidUntil, now)
            )
                places[at.SalePointId] = Combine(access.Grants(user, at.SalePointId));
        return places;

        Dictionary<int, Holding> Combine(List<TenantAccess.Source> sources)
        {
            var held = new Dictionary<int, Holding>();
            foreach (var s in sources)
                if (
                    s.Why is null
                    || potential
                        && (s.WhyCode == "user-type" || s.WhyCode == "time-box" && (s.Until is null || s.Until > now))
                )
                    held[s.Index] = Holding.Combine(held.TryGetValue(s.Index, out var h) ? h : null, s.Holding);
            return held;
        }
    }
}

/// <summary>Answers <see cref="LoadUsersForDecisions"/>: one reload of all the users the engine lacks.</summary>
internal sealed class LoadUsersForDecisionsHandler(AccessEngine engine, TenantContext tenant)
    : IRequestHandler<LoadUsersForDecisions, Unit>
{
    public async Task<Unit> Handle(LoadUsersForDecisions c, CancellationToken ct)
    {
        await (await engine.TenantAsync(tenant.Tenant, ct)).LoadUsersAsync(engine, c.UserIds, ct);
        return Unit.Value;
    }
}

/// <summary>
/// Answers <see cref="RequireMayChangeUser"/>. A refusal is recorded on a stream of its own (the user's history shows
/// it) in a transaction of its own, since the refused change rolls back; a dry run's refusal changes nothing and is not
/// recorded.
/// </summary>
internal sealed class RequireMayChangeUserHandler(
    AccessEngine engine,
    TenantContext tenant,
    ActorContext actor,
    UnitOfWork unit,
    IDocumentStore store,
    TimeProvider clock
) : IRequestHandler<RequireMayChangeUser, Unit>
{
    public async Task<Unit> Handle(RequireMayChangeUser c, CancellationToken ct)
    {
        var caller = actor.RequireUser();
        if (unit.CreatedUsers.Contains(c.UserId))
            return Unit.Value;
        var access = await engine.TenantAsync(tenant.Tenant, ct);
        if (await access.UserAsync(engine, c.UserId, ct) is not { } target)
            return Unit.Value;
        var me = await access.GranterAsync(engine, caller.UserId, ct);
        if (WhoMayChangeWhom.WhyNot(access, me, target, c.ChangesType) is not { } why)
            return Unit.Value;
        var refusal =
            me.Facts.UserId == target.Facts.UserId
                ? $"You may not change your own {c.What}: {why}"
                : $"You may not change the {c.What} of {target.Facts.Name}: {why}";
        if (!unit.DryRun)
            await RecordAsync(c, refusal);
        throw new ForbiddenException(refusal);
    }

    private async Task RecordAsync(RequireMayChangeUser c, string refusal)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession(tenant.Tenant);
            (session.LastModifiedBy, session.CorrelationId, session.CausationId) = (
                actor.Actor,
                actor.CorrelationId,
                actor.CausationId
            );
            session.Events.Append(
                UserChangeRefused.StreamId(c.UserId),
                new UserChangeRefused(c.UserId, c.What, refusal, clock.GetUtcNow())
            );
            try
            {
                await session.SaveChangesAsync(CancellationToken.None);
                return;
            }
            // Two refusals of the same user at once may race to start the stream: the later one appends after the
            // first.
            catch (Exception e)
                when (attempt < 3
                    && e
                        is JasperFx.ConcurrencyException
                            or JasperFx.Events.ExistingStreamIdCollisionException
                            or Marten.Exceptions.ExistingStreamIdCollisionException
                ) { }
        }
    }
}
