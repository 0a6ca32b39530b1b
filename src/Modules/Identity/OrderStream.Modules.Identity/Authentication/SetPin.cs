using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Identity.Users;
using OrderStream.Modules.Roles.Contracts;

namespace OrderStream.Modules.Identity.Authentication;

/// <summary>
/// Sets a user's POS PIN: by a user manager, or by the user themselves. Trivially guessable PINs are refused.
/// </summary>
internal static class SetPin
{
    public sealed record Command(Guid UserId, string Pin) : ICommand<Unit>;

    public sealed record Body(string Pin);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Pin).Pin();
    }

    internal sealed class Handler(
        IDocumentSession session,
        CredentialHasher hasher,
        ActorContext actor,
        IFeatureDecider decider,
        IMediator mediator,
        TimeProvider clock
    ) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            var caller = actor.RequireUser();
            caller.RequirePosScope(c.UserId, null);
            if (caller.UserId != c.UserId && !await decider.HoldsAnyAsync(caller, IdentityModule.ManageUsers, ct))
                throw new ForbiddenException(
                    "Only the user themselves, or a user manager (secure feature "
                        + $"{string.Join(" or ", IdentityModule.ManageUsers.Select(f => $"'{f}'"))}), may set a "
                        + $"user's PIN."
                );
            var stream = await session.Events.FetchForWriting<User>(c.UserId, ct);
            if (stream.Aggregate is null)
                throw new NotFoundException("User", c.UserId.ToString());
            await mediator.Send(new RequireMayChangeUser(c.UserId, "PIN"), ct);
            var credentials = await session.LoadAsync<UserCredentials>(c.UserId, ct)
                ?? new UserCredentials { Id = c.UserId };
            credentials.PinHash = hasher.Pins.Hash(c.Pin);
            session.Store(credentials);
            stream.AppendOne(new PinChanged(c.UserId, clock.GetUtcNow()));
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPut(
                    "/api/tenants/{tenant}/users/{id:guid}/pin",
                    async (Guid id, Body body, IMediator mediator, CancellationToken ct) =>
                    {
                        await mediator.Send(new Command(id, body.Pin), ct);
                        return Results.NoContent();
                    }
                )
                .WithTags("Users")
                .WithName("SetPin")
                .Produces(StatusCodes.Status204NoContent)
                .WithSummary("Set a user's PIN")
                .WithDescription(
                    "The PIN for POS logins; stored only as a slow hash. Refused (403) for a user who "
                        + "holds more than the caller."
                )
                .RequireAuthorization()
                .AcceptPosTokens();
    }
}
