using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.BuildingBlocks.TimeBoxes;
using OrderStream.Modules.Roles.Decisions;
using OrderStream.Modules.Roles.Roles;

namespace OrderStream.Modules.Roles.Grants;

/// <summary>
/// A feature given to one user directly, with a qualifier (how seed 000's rights check boxes are set), or taken back.
/// Tier rules hold for the giver and the user; type-bound features (BGM rights, ...) only for users of that type.
/// </summary>
internal static class GrantFeature
{
    /// <summary><c>ValidFrom</c>/<c>ValidUntil</c>: a time-boxed grant ("max discount 25 % until Sunday").</summary>
    public sealed record Body(int? Qualifier, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil);

    public sealed record Command(
        Guid UserId,
        string FeatureCode,
        bool Grant,
        int? Qualifier,
        DateTimeOffset? ValidFrom = null,
        DateTimeOffset? ValidUntil = null
    ) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(c => c.Qualifier).InclusiveBetween(0, GrantBodyValidator.MaxQualifier);
            Validity.Rules(this, c => c.ValidFrom, c => c.ValidUntil, clock);
        }
    }

    internal sealed class Handler(
        IDocumentSession session,
        AccessEngine engine,
        TenantContext tenant,
        ActorContext actor,
        IMediator mediator,
        TimeProvider clock
    ) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            var access = await engine.TenantAsync(tenant.Tenant, ct);
            var user = await access.UserAsync(engine, c.UserId, ct)
                ?? throw new NotFoundException("User", c.UserId.ToString());
            var feature = await access.FeatureAsync(engine, c.FeatureCode, ct)
                ?? throw new NotFoundException("Secure feature", c.FeatureCode);
            await mediator.Send(new Contracts.RequireMayChangeUser(user.Facts.UserId, "rights"), ct);
            var stream = await session.Events.FetchForWriting<UserAccess>(UserAccess.StreamId(c.UserId), ct);
            // Read only: Marten applies the appended events to this very object when it commits.
            var current = stream.Aggregate ?? UserAccess.Empty(c.UserId);
            var existing = current.Grants.FirstOrDefault(g => g.FeatureCode == feature.Code);
            if (
                c.Grant
                && (
                    existing is null
                    || (existing.Qualifier, existing.ValidFrom, existing.ValidUntil)
                        != (c.Qualifier, c.ValidFrom, c.ValidUntil)
                )
            )
            {
                var granter = await access.GranterAsync(engine, actor.RequireUser().UserId, ct);
                if (Rules.WhyNotGrantable(feature, granter.Facts, access.IsSystemManager(granter)) is { } why)
                    throw new ForbiddenException(why);
                if (
                    await Settings.AccessSettings.GrantOnlyWhatYouHoldAsync(session, ct)
                    && access.WhyNotHeldByGranter(granter, feature, c.Qualifier) is { } notHeld
                )
                    throw new ForbiddenException(notHeld);
                if (Rules.WhyNotHeld(feature, user.Facts, access.IsSystemManager(user)) is { } cannot)
                    throw new ConflictException(cannot);
                var e = new FeatureGranted(
                    c.UserId,
                    feature.Code,
                    c.Qualifier,
                    existing is not null,
                    existing?.Qualifier,
                    c.ValidFrom,
                    c.ValidUntil,
                    clock.GetUtcNow(),
                    actor.Actor
                );
                stream.AppendOne(e);
            }
            else if (!c.Grant && existing is not null)
            {
                var e = new FeatureRevoked(c.UserId, feature.Code, existing.Qualifier);
                stream.AppendOne(e);
            }
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
        {
            const string route = "/api/tenants/{tenant}/users/{id:guid}/grants/{featureCode}";
            app.MapPut(
                    route,
                    async (
                        Guid id,
                        string featureCode,
                        Body? body,
                        IMediator mediator,
                        IQuerySession session,
                        CancellationToken ct
                    ) =>
                        await UserAccessResponse.AfterAsync(
                            mediator.Send(
                                new Command(id, featureCode, true, body?.Qualifier, body?.ValidFrom, body?.ValidUntil),
                                ct
                            ),
                            id,
                            session,
                            ct
                        )
                )
                .WithTags("User rights")
                .WithName("GrantFeature")
                .WithSummary("Grant a secure feature to a user")
                .WithDescription(
                    "A direct grant, optionally with a qualifier and a validity window. Refused (403) "
                        + "past what the caller may give. Audited."
                )
                .RequireFeature(RolesModule.MaintainRoles, RolesModule.BackOfficeUsers);
            app.MapDelete(
                    route,
                    async (
                        Guid id,
                        string featureCode,
                        IMediator mediator,
                        IQuerySession session,
                        CancellationToken ct
                    ) =>
                        await UserAccessResponse.AfterAsync(
                            mediator.Send(new Command(id, featureCode, false, null), ct),
                            id,
                            session,
                            ct
                        )
                )
                .WithTags("User rights")
                .WithName("RevokeFeature")
                .WithSummary("Revoke a direct grant")
                .WithDescription("Audited.")
                .RequireFeature(RolesModule.MaintainRoles, RolesModule.BackOfficeUsers);
        }
    }
}
