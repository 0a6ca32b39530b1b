using OrderStream.BuildingBlocks.TimeBoxes;
using OrderStream.Modules.Roles.Contracts;
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

    /// <summary>One grant is a list of one: the rules live once, in <see cref="ChangeUserRightsHandler"/>.</summary>
    internal sealed class Handler(IMediator mediator) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            await mediator.Send(
                new ChangeUserRights(c.UserId, false, [], [])
                {
                    Grant = c.Grant ? [new FeatureToGrant(c.FeatureCode, c.Qualifier, c.ValidFrom, c.ValidUntil)] : [],
                    Revoke = c.Grant ? [] : [c.FeatureCode],
                },
                ct
            );
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
