using OrderStream.Modules.Identity.Authentication;
using OrderStream.Modules.Roles.Contracts;

namespace OrderStream.Modules.Identity.Users;

/// <summary>Replaces a user's editable fields (PUT). Password and PIN change only when given.</summary>
internal static class UpdateUser
{
    public sealed record Body(
        string FirstName,
        string LastName,
        string? Email,
        string LoginCode,
        string? Language,
        ContactBody? Contact,
        string? Password,
        string? Pin,
        bool? AllowLogin,
        BackOfficeUserType? Type,
        IReadOnlyList<string>? AccountExecutiveIds,
        IReadOnlyList<string>? ProductionCoordinatorIds,
        string? SalespersonId,
        string? OnlineStoreId,
        OsaAccessMode? AccessMode,
        IReadOnlyList<string>? ReportCodes
    );

    public sealed record Command(
        Guid Id,
        long? ExpectedVersion,
        string FirstName,
        string LastName,
        string? Email,
        string LoginCode,
        string? Language,
        ContactBody? Contact,
        string? Password,
        string? Pin,
        bool? AllowLogin,
        BackOfficeUserType? Type,
        IReadOnlyList<string>? AccountExecutiveIds,
        IReadOnlyList<string>? ProductionCoordinatorIds,
        string? SalespersonId,
        string? OnlineStoreId,
        OsaAccessMode? AccessMode,
        IReadOnlyList<string>? ReportCodes
    ) : ICommand<Guid>, IUserFields;

    public sealed class Validator : UserFieldsValidator<Command>;

    internal sealed class Handler(
        IDocumentSession session,
        CredentialHasher hasher,
        IMediator mediator,
        ActorContext actor,
        IFeatureDecider features,
        TimeProvider clock
    ) : IRequestHandler<Command, Guid>
    {
        public async Task<Guid> Handle(Command c, CancellationToken ct)
        {
            // FetchForWriting checks the version at commit: a concurrent change is never overwritten, with or without
            // If-Match.
            var (stream, user) = await session.FetchForUpdateAsync<User>(c.Id, c.ExpectedVersion, "user", ct);
            var what =
                c.Password is not null ? "password"
                : c.Pin is not null ? "PIN"
                : "details";
            await mediator.Send(new RequireMayChangeUser(user.Id, what, ChangesType: c.Type != user.Type), ct);
            var at = clock.GetUtcNow();

            if (user.FirstName != c.FirstName.Trim() || user.LastName != c.LastName.Trim())
                stream.AppendOne(
                    new UserRenamed(user.Id, at, c.FirstName.Trim(), c.LastName.Trim(), user.FirstName, user.LastName)
                );
            var details = new UserDetailsChanged(
                user.Id,
                at,
                c.Email?.Trim(),
                c.LoginCode.Trim(),
                c.Language ?? user.Language,
                c.Contact?.ToContact() ?? new Contact(null, null, null, null, null, null),
                c.AllowLogin ?? user.AllowLogin
            );
            // Seed 001: without Can Maintain Employee Data the login code and "allow login" are not the caller's.
            if (
                (details.LoginCode, details.AllowLogin) != (user.LoginCode, user.AllowLogin)
                && !await features.HoldsAnyAsync(actor.RequireUser(), [SecureFeatureCodes.MaintainEmployeeData], ct)
            )
                throw new ForbiddenException(
                    "Changing a login code or whether a user may log in needs 'Can Maintain Employee Data'.",
                    details.LoginCode != user.LoginCode ? "loginCode" : "allowLogin"
                );
            if (
                details.Email != user.Email
                || details.LoginCode != user.LoginCode
                || details.Language != user.Language
                || details.AllowLogin != user.AllowLogin
                || !SameContact(details.Contact, user.Contact)
            )
                stream.AppendOne(details);
            var profile = await CounterpartLinks.ProfileAsync(session, c, ct);
            if (!SameProfile(profile, user.Profile))
                stream.AppendOne(
                    new UserProfileChanged(
                        user.Id,
                        at,
                        User.EmployeeName(c.FirstName.Trim(), c.LastName.Trim()),
                        profile,
                        user.Profile
                    )
                );
            await CounterpartLinks.ApplyAsync(session, user.Id, user.CounterpartIds, c, at, ct);

            if (c.Password is not null || c.Pin is not null)
            {
                var credentials = await session.LoadAsync<UserCredentials>(user.Id, ct)
                    ?? new UserCredentials { Id = user.Id };
                if (c.Password is not null)
                {
                    credentials.PasswordHash = hasher.Hash(c.Password);
                    stream.AppendOne(new PasswordChanged(user.Id, at));
                    stream.AppendOne(new SessionsEnded(user.Id, at, "password set by an administrator"));
                }
                if (c.Pin is not null)
                {
                    credentials.PinHash = hasher.Pins.Hash(c.Pin);
                    stream.AppendOne(new PinChanged(user.Id, at));
                }
                session.Store(credentials);
            }
            return user.Id;
        }

        private static bool SameContact(Contact a, Contact b) =>
            a with { AddressLines = null } == b with { AddressLines = null }
            && (a.AddressLines ?? []).SequenceEqual(b.AddressLines ?? []);

        private static bool SameProfile(Profile a, Profile b) =>
            a with { ReportCodes = [] } == b with { ReportCodes = [] } && a.ReportCodes.SequenceEqual(b.ReportCodes);
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPut(
                    "/api/tenants/{tenant}/users/{id:guid}",
                    async (
                        Guid id,
                        Body b,
                        IMediator mediator,
                        IQuerySession session,
                        HttpContext http,
                        CancellationToken ct
                    ) =>
                    {
                        await mediator.Send(
                            new Command(
                                id,
                                ETags.ExpectedVersion(http.Request),
                                b.FirstName,
                                b.LastName,
                                b.Email,
                                b.LoginCode,
                                b.Language,
                                b.Contact,
                                b.Password,
                                b.Pin,
                                b.AllowLogin,
                                b.Type,
                                b.AccountExecutiveIds,
                                b.ProductionCoordinatorIds,
                                b.SalespersonId,
                                b.OnlineStoreId,
                                b.AccessMode,
                                b.ReportCodes
                            ),
                            ct
                        );
                        return await UserResponse.CurrentAsync(http, session, id, ct);
                    }
                )
                .WithTags("Users")
                .WithName("UpdateUser")
                .WithSummary("Change a user")
                .WithDescription(
                    "Replaces the user's fields. A password, login permission or type change of a user "
                        + "who holds more than the caller is refused (403, who-may-change-whom). Send `If-Match` with "
                        + "the "
                        + "`ETag` you read: 412 when someone changed the user since."
                )
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<UserResponse>()
                .ProducesValidationProblem()
                .RequireFeature(IdentityModule.ManageUsers);
    }
}
