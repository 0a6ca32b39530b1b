using OrderStream.Modules.Identity.Authentication;

namespace OrderStream.Modules.Identity.Users;

internal static class RegisterUser
{
    public sealed record Command(
        string FirstName,
        string LastName,
        string? Email,
        string LoginCode,
        string? Language,
        ContactBody? Contact,
        string? Password,
        string? Pin,
        bool? AllowLogin,
        bool? IsSystemAdministrator,
        BackOfficeUserType? Type,
        IReadOnlyList<string>? AccountExecutiveIds,
        IReadOnlyList<string>? ProductionCoordinatorIds,
        string? SalespersonId,
        string? OnlineStoreId,
        OsaAccessMode? AccessMode,
        IReadOnlyList<string>? ReportCodes
    ) : ICommand<User>, IUserFields;

    public sealed class Validator : UserFieldsValidator<Command>;

    internal sealed class Handler(
        IDocumentSession session,
        ActorContext actor,
        CredentialHasher hasher,
        TimeProvider clock,
        UnitOfWork unit
    ) : IRequestHandler<Command, User>
    {
        public async Task<User> Handle(Command c, CancellationToken ct)
        {
            // Without a logged-in caller, only the bootstrap command (a system actor no HTTP request can be) registers
            // users.
            var by = actor.User?.UserId.ToString() ?? actor.SystemActor ?? actor.RequireUser().UserId.ToString();
            if (c.IsSystemAdministrator == true && actor.User is not null && !await CallerIsSystemAdministrator(ct))
                throw new ForbiddenException(
                    "Only a System Administrator can make another user a System Administrator."
                );

            var id = Guid.CreateVersion7();
            var at = clock.GetUtcNow();
            var registered = new UserRegistered(
                id,
                at,
                by,
                c.FirstName.Trim(),
                c.LastName.Trim(),
                c.Email?.Trim(),
                c.LoginCode.Trim(),
                c.Language ?? "en",
                c.Contact?.ToContact() ?? new Contact(null, null, null, null, null, null),
                c.AllowLogin ?? true,
                c.IsSystemAdministrator ?? false,
                await CounterpartLinks.ProfileAsync(session, c, ct)
            );
            session.Events.StartStream<User>(id, registered);
            unit.CreatedUsers.Add(id);
            // The answer is built from the events themselves, so the created user need not be read back.
            var user = User.Create(registered);
            foreach (var linked in await CounterpartLinks.ApplyAsync(session, id, [], c, at, ct))
                user.Apply((CounterpartLinked)linked);
            var version = 1 + user.CounterpartIds.Count;
            if (c.Password is not null || c.Pin is not null)
            {
                session.Store(
                    new UserCredentials
                    {
                        Id = id,
                        PasswordHash = c.Password is null ? null : hasher.Hash(c.Password),
                        PinHash = c.Pin is null ? null : hasher.Pins.Hash(c.Pin),
                    }
                );
                if (c.Password is not null)
                    Append(new PasswordChanged(id, at), user.Apply);
                if (c.Pin is not null)
                    Append(new PinChanged(id, at), user.Apply);
            }
            user.Version = version;
            return user;

            void Append<T>(T e, Action<T> apply)
                where T : notnull
            {
                session.Events.Append(id, e);
                apply(e);
                version++;
            }
        }

        private async Task<bool> CallerIsSystemAdministrator(CancellationToken ct) =>
            await session.LoadAsync<User>(actor.RequireUser().UserId, ct) is { IsActiveSystemAdministrator: true };
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/users",
                    async (
                        string tenant,
                        Command command,
                        IMediator mediator,
                        HttpContext http,
                        CancellationToken ct
                    ) =>
                    {
                        var user = await mediator.Send(command, ct);
                        http.Response.Headers.ETag = ETags.Of(user.Version);
                        return Results.Created($"/api/tenants/{tenant}/users/{user.Id}", UserResponse.From(user));
                    }
                )
                .WithTags("Users")
                .WithName("RegisterUser")
                .WithSummary("Register a user")
                .WithDescription(
                    "Creates a web office or POS user. Only a System Administrator makes another user a "
                        + "System Administrator. Audited."
                )
                .AnswersWithETag()
                .Produces<UserResponse>(StatusCodes.Status201Created)
                .ProducesValidationProblem()
                .RequireFeature(IdentityModule.ManageUsers);
    }
}
