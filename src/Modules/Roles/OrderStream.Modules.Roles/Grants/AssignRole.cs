using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.BuildingBlocks.TimeBoxes;
using OrderStream.Modules.Identity.Contracts;
using OrderStream.Modules.Roles.Contracts;
using OrderStream.Modules.Roles.Decisions;
using OrderStream.Modules.Roles.Roles;

namespace OrderStream.Modules.Roles.Grants;

/// <summary>
/// Gives a user a role tenant-wide, optionally time-boxed ("until Sunday"), or takes it away. Giving it is giving each
/// of its features: tier rules apply. Giving it again with another window changes the window.
/// </summary>
internal static class AssignRole
{
    public sealed record Body(DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil);

    public sealed record Command(
        Guid UserId,
        Guid RoleId,
        bool Assign,
        DateTimeOffset? ValidFrom = null,
        DateTimeOffset? ValidUntil = null
    ) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock) => Validity.Rules(this, c => c.ValidFrom, c => c.ValidUntil, clock);
    }

    /// <summary>One role is a list of one: the rules live once, in <see cref="ChangeUserRightsHandler"/>.</summary>
    internal sealed class Handler(IMediator mediator) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            await mediator.Send(
                c.Assign
                    ? new ChangeUserRights(c.UserId, false, [new RoleToGive(c.RoleId, c.ValidFrom, c.ValidUntil)], [])
                    : new ChangeUserRights(c.UserId, false, [], [c.RoleId]),
                ct
            );
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
        {
            const string route = "/api/tenants/{tenant}/users/{id:guid}/roles/{roleId:guid}";
            app.MapPut(
                    route,
                    async (
                        Guid id,
                        Guid roleId,
                        Body? body,
                        IMediator mediator,
                        IQuerySession session,
                        CancellationToken ct
                    ) =>
                        await UserAccessResponse.AfterAsync(
                            mediator.Send(new Command(id, roleId, true, body?.ValidFrom, body?.ValidUntil), ct),
                            id,
                            session,
                            ct
                        )
                )
                .WithTags("User rights")
                .WithName("AssignRole")
                .WithSummary("Assign a role to a user")
                .WithDescription(
                    "Tenant-wide, or at one sale point. Refused (403) when it would give the user more "
                        + "than the caller may give. Audited."
                )
                .RequireFeature(RolesModule.MaintainRoles, RolesModule.BackOfficeUsers);
            app.MapDelete(
                    route,
                    async (Guid id, Guid roleId, IMediator mediator, IQuerySession session, CancellationToken ct) =>
                        await UserAccessResponse.AfterAsync(
                            mediator.Send(new Command(id, roleId, false), ct),
                            id,
                            session,
                            ct
                        )
                )
                .WithTags("User rights")
                .WithName("UnassignRole")
                .WithSummary("Take a role from a user")
                .WithDescription("Audited.")
                .RequireFeature(RolesModule.MaintainRoles, RolesModule.BackOfficeUsers);
        }
    }
}

/// <summary>
/// Gives and takes roles and direct grants (a bulk row's, the user form's, or the single PUT/DELETE's) on one read of
/// the user's rights, so that every part of the change lands in the same transaction. Giving a role is giving each of
/// its features: tier rules apply, and "grant only what you hold" when the tenant has it on.
/// </summary>
internal sealed class ChangeUserRightsHandler(
    IDocumentSession session,
    AccessEngine engine,
    TenantContext tenant,
    ActorContext actor,
    IFeatureDecider features,
    IMediator mediator,
    TimeProvider clock
) : IRequestHandler<ChangeUserRights, IReadOnlyList<string>>
{
    public async Task<IReadOnlyList<string>> Handle(ChangeUserRights c, CancellationToken ct)
    {
        var caller = actor.RequireUser();
        // The HTTP routes check this too; a bulk change of another module reaches here without them.
        await features.RequireAnyAsync(
            caller,
            [RolesModule.MaintainRoles, RolesModule.BackOfficeUsers],
            ct,
            "Giving and taking roles"
        );
        var access = await engine.TenantAsync(tenant.Tenant, ct);
        if (!c.UserChecked)
            _ = await access.UserAsync(engine, c.UserId, ct)
                ?? throw new NotFoundException("User", c.UserId.ToString());
        var what = c is { Give: [], Take: [] } ? "rights" : "roles";
        await mediator.Send(new RequireMayChangeUser(c.UserId, what), ct);
        var stream = await session.Events.FetchForWriting<UserAccess>(UserAccess.StreamId(c.UserId), ct);
        // Read only: Marten applies the appended events to this very object when it commits.
        var current = stream.Aggregate ?? UserAccess.Empty(c.UserId);
        var changes = new List<string>();
        UserEntry? granter = null;
        bool? onlyWhatYouHold = null;
        // The user as the engine knows them, looked up once and only when a part of the change needs them.
        (bool Known, UserEntry? Entry) user = (false, null);
        async ValueTask<UserEntry?> UserAsync()
        {
            if (!user.Known)
                user = (true, await access.UserAsync(engine, c.UserId, ct));
            return user.Entry;
        }
        foreach (var give in c.Give)
        {
            var role = await RoleAsync(give.RoleId, ct);
            var held = current.Role(role.Id);
            if (held is not null && (held.ValidFrom, held.ValidUntil) == (give.ValidFrom, give.ValidUntil))
                continue;
            granter ??= await access.GranterAsync(engine, caller.UserId, ct);
            onlyWhatYouHold ??= await Settings.AccessSettings.GrantOnlyWhatYouHoldAsync(session, ct);
            access.RequireGivable(role, granter, onlyWhatYouHold.Value);
            if (access.AnyTierLimited(role.Grants.Select(g => g.FeatureCode)))
            {
                // A user created in the same transaction (an imported row) is not in the engine yet: no tier of theirs.
                var holder = await UserAsync();
                var facts = holder?.Facts
                    ?? new UserAccessFacts(c.UserId, "a new user", true, false, null, [], null, null, []);
                access.RequireHoldable(
                    role,
                    c.IsSystemAdministrator is { } admin ? facts with { IsSystemAdministrator = admin } : facts,
                    holder is not null && access.IsSystemManager(holder)
                );
            }
            stream.AppendOne(
                new RoleAssigned(
                    c.UserId,
                    role.Id,
                    role.Name,
                    give.ValidFrom,
                    give.ValidUntil,
                    clock.GetUtcNow(),
                    actor.Actor,
                    held is not null,
                    held?.ValidFrom,
                    held?.ValidUntil
                )
            );
            changes.Add(
                held is null
                    ? $"role '{role.Name}' given{Validity.Describe(give.ValidFrom, give.ValidUntil)}"
                    : $"role '{role.Name}' now applies{Window(give.ValidFrom, give.ValidUntil)} "
                        + $"(was{Window(held.ValidFrom, held.ValidUntil)})"
            );
        }
        foreach (var roleId in c.Take)
        {
            var role = await RoleAsync(roleId, ct);
            if (current.Role(role.Id) is null)
                continue;
            stream.AppendOne(new RoleUnassigned(c.UserId, role.Id, role.Name, null));
            changes.Add($"role '{role.Name}' taken");
        }
        foreach (var grant in c.Grant)
        {
            var feature = await access.FeatureAsync(engine, grant.FeatureCode, ct)
                ?? throw new NotFoundException("Secure feature", grant.FeatureCode);
            if (grant.Qualifier is < 0 or > GrantBodyValidator.MaxQualifier)
                throw new FieldRuleException(
                    "grantFeatures",
                    $"The qualifier of '{feature.Name}' must be between 0 and {GrantBodyValidator.MaxQualifier}."
                );
            var held = current.Grants.FirstOrDefault(g => g.FeatureCode == feature.Code);
            var window = (grant.Qualifier, grant.ValidFrom, grant.ValidUntil);
            if (held is not null && (held.Qualifier, held.ValidFrom, held.ValidUntil) == window)
                continue;
            granter ??= await access.GranterAsync(engine, caller.UserId, ct);
            if (Rules.WhyNotGrantable(feature, granter.Facts, access.IsSystemManager(granter)) is { } why)
                throw new ForbiddenException(why);
            onlyWhatYouHold ??= await Settings.AccessSettings.GrantOnlyWhatYouHoldAsync(session, ct);
            if (onlyWhatYouHold.Value && access.WhyNotHeldByGranter(granter, feature, grant.Qualifier) is { } notHeld)
                throw new ForbiddenException(notHeld);
            var holder = await UserAsync() ?? throw new NotFoundException("User", c.UserId.ToString());
            var facts = c.UserType is { } type
                ? holder.Facts with
                {
                    Type = type.Length == 0 ? null : type,
                }
                : holder.Facts;
            if (Rules.WhyNotHeld(feature, facts, access.IsSystemManager(holder)) is { } cannot)
                throw new ConflictException(cannot, "grantFeatures");
            stream.AppendOne(
                new FeatureGranted(
                    c.UserId,
                    feature.Code,
                    grant.Qualifier,
                    held is not null,
                    held?.Qualifier,
                    grant.ValidFrom,
                    grant.ValidUntil,
                    clock.GetUtcNow(),
                    actor.Actor
                )
            );
            changes.Add($"'{feature.Name}' granted{Validity.Describe(grant.ValidFrom, grant.ValidUntil)}");
        }
        foreach (var code in c.Revoke)
        {
            _ = await access.FeatureAsync(engine, code, ct) ?? throw new NotFoundException("Secure feature", code);
            if (current.Grants.FirstOrDefault(g => g.FeatureCode == code) is not { } held)
                continue;
            stream.AppendOne(new FeatureRevoked(c.UserId, held.FeatureCode, held.Qualifier));
            changes.Add($"'{held.FeatureCode}' revoked");
        }
        return changes;
    }

    private async Task<Role> RoleAsync(Guid id, CancellationToken ct) =>
        await session.LoadAsync<Role>(id, ct) is { IsDeleted: false } role
            ? role
            : throw new NotFoundException("Role", id.ToString());

    private static string Window(DateTimeOffset? from, DateTimeOffset? until) =>
        from is null && until is null ? " without a time limit" : Validity.Describe(from, until);
}

internal sealed record UserAccessResponse(
    string UserId,
    IReadOnlyList<RoleAssignment> Roles,
    IReadOnlyList<Grant> Grants
)
{
    /// <summary>The user's rights as committed by <paramref name="change"/>.</summary>
    public static async Task<UserAccessResponse> AfterAsync(
        Task<Unit> change,
        Guid userId,
        IQuerySession session,
        CancellationToken ct
    )
    {
        await change;
        var access = await session.LoadAsync<UserAccess>(UserAccess.StreamId(userId), ct) ?? UserAccess.Empty(userId);
        return new UserAccessResponse(userId.ToString(), access.Roles, access.Grants);
    }
}
