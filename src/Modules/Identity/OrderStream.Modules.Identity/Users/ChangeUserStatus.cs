using OrderStream.Modules.Roles.Contracts;

namespace OrderStream.Modules.Identity.Users;

/// <summary>
/// Deactivate and reactivate: nothing is deleted, every change is kept in the status history (billing depends on it).
/// </summary>
internal static class ChangeUserStatus
{
    public sealed record Body(string? Reason);

    public sealed record Command(Guid Id, bool Activate, string? Reason, long? ExpectedVersion) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Reason).MaximumLength(500);
    }

    internal sealed class Handler(IDocumentSession session, ActorContext actor, IMediator mediator, TimeProvider clock)
        : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            var caller = actor.RequireUser();
            var (stream, user) = await session.FetchForUpdateAsync<User>(c.Id, c.ExpectedVersion, "user", ct);
            await mediator.Send(new RequireMayChangeUser(user.Id, "status"), ct);
            var at = clock.GetUtcNow();
            if (c.Activate)
            {
                if (user.IsActive)
                    throw new ConflictException($"{user.EmployeeName()} is already active.");
                stream.AppendOne(
                    new UserReactivated(user.Id, at, caller.UserId.ToString(), c.Reason, user.EmployeeName())
                );
                return Unit.Value;
            }
            if (!user.IsActive)
                throw new ConflictException($"{user.EmployeeName()} is already inactive.");
            if (user.Id == caller.UserId)
                throw new ConflictException("You cannot deactivate yourself.", "isActive");
            if (user.IsSystemAdministrator && await SystemAdministrators.IsLastActiveAsync(session, user.Id, ct))
                throw new ConflictException(
                    $"{user.EmployeeName()} is the last active System Administrator of this tenant and cannot be "
                        + $"deactivated.",
                    "isActive"
                );
            stream.AppendOne(new UserDeactivated(user.Id, at, caller.UserId.ToString(), c.Reason, user.EmployeeName()));
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
        {
            app.MapPost(
                    "/api/tenants/{tenant}/users/{id:guid}/deactivate",
                    (Guid id, Body? body, IMediator m, HttpContext http, IQuerySession s, CancellationToken ct) =>
                        Change(
                            new Command(id, false, body?.Reason, ETags.ExpectedVersion(http.Request)),
                            m,
                            http,
                            s,
                            ct
                        )
                )
                .WithTags("Users")
                .WithName("DeactivateUser")
                .Produces<UserResponse>()
                .WithSummary("Deactivate a user")
                .WithDescription(
                    "The user's tokens stop working at once. Refused (403) for a user who holds more "
                        + "than the caller, and (409) for the last active System Administrator. Audited with the "
                        + "reason."
                )
                .AnswersWithETag()
                .TakesIfMatch()
                .RequireFeature(IdentityModule.ManageUsers);
            app.MapPost(
                    "/api/tenants/{tenant}/users/{id:guid}/reactivate",
                    (Guid id, Body? body, IMediator m, HttpContext http, IQuerySession s, CancellationToken ct) =>
                        Change(new Command(id, true, body?.Reason, ETags.ExpectedVersion(http.Request)), m, http, s, ct)
                )
                .WithTags("Users")
                .WithName("ReactivateUser")
                .Produces<UserResponse>()
                .WithSummary("Reactivate a user")
                .WithDescription("Refused (403) for a user who holds more than the caller. Audited with the reason.")
                .AnswersWithETag()
                .TakesIfMatch()
                .RequireFeature(IdentityModule.ManageUsers);
        }

        private static async Task<IResult> Change(
            Command command,
            IMediator mediator,
            HttpContext http,
            IQuerySession session,
            CancellationToken ct
        )
        {
            await mediator.Send(command, ct);
            return await UserResponse.CurrentAsync(http, session, command.Id, ct);
        }
    }
}

internal static class SystemAdministrators
{
    /// <summary>
    /// Whether no other active System Administrator exists. Two concurrent removals of two different admins could both
    /// pass; the tenant-wide advisory lock below makes them take turns until the commit.
    /// </summary>
    public static async Task<bool> IsLastActiveAsync(IDocumentSession session, Guid userId, CancellationToken ct)
    {
        // The lock lasts as long as the transaction: without one, it would end with its own statement.
        await session.BeginTransactionAsync(ct);
        await session.QueryAsync<int>(
            "select 1 from (select pg_advisory_xact_lock(hashtext('sysadmins:' || ?))) l",
            ct,
            session.TenantId
        );
        return !await session
            .Query<UserListEntry>()
            .AnyAsync(u => u.IsSystemAdministrator && u.IsActive && u.Id != userId, ct);
    }
}
