using OrderStream.Modules.Roles.Contracts;
using OrderStream.Modules.SalePoints.Contracts;

namespace OrderStream.Modules.Identity.Users;

/// <summary>
/// The console's user form saved with one "Save changes" (issue #21): the user's fields, status, System Administrator
/// flag, roles, sale points, stores and default store, in one transaction — applied whole or not at all, each part by
/// the rules of its single change (who may change whom, tiers, the default store...). <c>If-Match</c> is the user's
/// version as the form was opened; a stale one is refused with who changed the user since, and nothing is written.
/// </summary>
internal static class SaveUserForm
{
    public sealed record SalePointBody(Guid SalePointId, Guid RoleId);

    public sealed record GrantBody(string FeatureCode, int? Qualifier);

    public sealed record Body(
        string FirstName,
        string LastName,
        string? Email,
        string LoginCode,
        string? Language,
        ContactBody? Contact,
        string? Pin,
        bool? AllowLogin,
        BackOfficeUserType? Type,
        IReadOnlyList<string>? AccountExecutiveIds,
        IReadOnlyList<string>? ProductionCoordinatorIds,
        string? SalespersonId,
        string? OnlineStoreId,
        OsaAccessMode? AccessMode,
        IReadOnlyList<string>? ReportCodes,
        bool? IsActive,
        string? Reason,
        bool? IsSystemAdministrator,
        IReadOnlyList<Guid>? AssignRoles,
        IReadOnlyList<Guid>? RemoveRoles,
        IReadOnlyList<GrantBody>? GrantFeatures,
        IReadOnlyList<string>? RevokeFeatures,
        IReadOnlyList<SalePointBody>? AddSalePoints,
        IReadOnlyList<Guid>? RemoveSalePoints,
        Guid? FutureSalePointsRoleId,
        bool? StopFutureSalePoints,
        IReadOnlyList<Guid>? AddStores,
        IReadOnlyList<Guid>? RemoveStores,
        bool? FutureStores,
        Guid? DefaultStoreId
    );

    public sealed record Command(Guid Id, long? ExpectedVersion, Body Form) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Form.Reason).MaximumLength(500).OverridePropertyName("reason");
            RuleForEach(c => c.Form.AssignRoles).NotEmpty().OverridePropertyName("assignRoles");
            RuleForEach(c => c.Form.RemoveRoles).NotEmpty().OverridePropertyName("removeRoles");
            RuleForEach(c => c.Form.GrantFeatures)
                .NotNull()
                .ChildRules(g => g.RuleFor(x => x.FeatureCode).NotEmpty().MaximumLength(100))
                .OverridePropertyName("grantFeatures");
            RuleForEach(c => c.Form.RevokeFeatures)
                .NotEmpty()
                .MaximumLength(100)
                .OverridePropertyName("revokeFeatures");
            RuleForEach(c => c.Form.AddSalePoints)
                .NotNull()
                .ChildRules(s =>
                {
                    s.RuleFor(x => x.SalePointId).NotEmpty();
                    s.RuleFor(x => x.RoleId).NotEmpty();
                })
                .OverridePropertyName("addSalePoints");
        }
    }

    internal sealed class Handler(IDocumentSession session, IMediator mediator) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            var f = c.Form;
            // A form saved without its version could overwrite what it never showed.
            if (c.ExpectedVersion is null)
                throw new PreconditionRequiredException(
                    "Send If-Match with the ETag of the user the form was opened on."
                );
            var user = await session.LoadAsync<User>(c.Id, ct) ?? throw new NotFoundException("User", c.Id.ToString());
            if (user.Version != c.ExpectedVersion)
                throw new PreconditionFailedException(await WhoChangedAsync(c.Id, c.ExpectedVersion!.Value, ct));
            try
            {
                await ApplyAsync(c, user, ct);
            }
            // A role, right or place the form names that does not exist is that field's problem, not a missing page.
            catch (NotFoundException e) when (FieldNaming(f, e.Id) is { } field)
            {
                throw new FieldRuleException(field, e.Message);
            }
            return Unit.Value;
        }

        private async Task ApplyAsync(Command c, User user, CancellationToken ct)
        {
            var f = c.Form;
            // The user's own stream first, in one change each: the version checked above is checked again at commit.
            await mediator.Send(
                new UpdateUser.Command(
                    c.Id,
                    c.ExpectedVersion,
                    f.FirstName,
                    f.LastName,
                    f.Email,
                    f.LoginCode,
                    f.Language,
                    f.Contact,
                    null,
                    f.Pin,
                    f.AllowLogin,
                    f.Type,
                    f.AccountExecutiveIds,
                    f.ProductionCoordinatorIds,
                    f.SalespersonId,
                    f.OnlineStoreId,
                    f.AccessMode,
                    f.ReportCodes
                ),
                ct
            );
            if (f.IsSystemAdministrator is { } admin && admin != user.IsSystemAdministrator)
                await mediator.Send(new SetSystemAdministrator.Command(c.Id, admin, null), ct);
            var rights = new ChangeUserRights(
                c.Id,
                true,
                [.. (f.AssignRoles ?? []).Select(r => new RoleToGive(r))],
                f.RemoveRoles ?? []
            )
            {
                Grant = [.. (f.GrantFeatures ?? []).Select(g => new FeatureToGrant(g.FeatureCode, g.Qualifier))],
                Revoke = f.RevokeFeatures ?? [],
                // The type this very save gives decides which type-bound rights the user may hold.
                UserType = f.Type?.ToString() ?? "",
                IsSystemAdministrator = f.IsSystemAdministrator,
            };
            if (rights is not { Give: [], Take: [], Grant: [], Revoke: [] })
                await mediator.Send(rights, ct);
            var locations = new ChangeUserLocations(
                c.Id,
                true,
                [.. (f.AddSalePoints ?? []).Select(s => new SalePointToAdd(s.SalePointId, s.RoleId))],
                f.RemoveSalePoints ?? [],
                f.AddStores ?? [],
                f.RemoveStores ?? [],
                f.DefaultStoreId
            )
            {
                FutureSalePointsRoleId = f.FutureSalePointsRoleId,
                StopFutureSalePoints = f.StopFutureSalePoints == true,
                FutureStores = f.FutureStores,
            };
            if (
                locations
                is not {
                    AddSalePoints: [],
                    RemoveSalePoints: [],
                    AddStores: [],
                    RemoveStores: [],
                    DefaultStoreId: null,
                    FutureSalePointsRoleId: null,
                    StopFutureSalePoints: false,
                    FutureStores: null,
                }
            )
                await mediator.Send(locations, ct);
            // Last, so that a deactivation is judged with everything else of the form already in place.
            if (f.IsActive is { } active && active != user.IsActive)
                await mediator.Send(new ChangeUserStatus.Command(c.Id, active, f.Reason, null), ct);
        }

        private static string? FieldNaming(Body f, string id)
        {
            bool Has<T>(IEnumerable<T>? values) =>
                values?.Any(v => string.Equals(v?.ToString(), id, StringComparison.Ordinal)) == true;
            return Has(f.GrantFeatures?.Select(g => g.FeatureCode)) ? "grantFeatures"
                : Has(f.RevokeFeatures) ? "revokeFeatures"
                : Has(f.AssignRoles) ? "assignRoles"
                : Has(f.RemoveRoles) ? "removeRoles"
                : Has(f.AddSalePoints?.SelectMany(p => new[] { p.SalePointId, p.RoleId })) ? "addSalePoints"
                : Has(f.RemoveSalePoints) ? "removeSalePoints"
                : Has([f.FutureSalePointsRoleId]) ? "futureSalePointsRoleId"
                : Has(f.AddStores) ? "addStores"
                : Has(f.RemoveStores) ? "removeStores"
                : Has([f.DefaultStoreId]) ? "defaultStoreId"
                : null;
        }

        // Who changed the user since the form was opened, and when: the last event's actor, by name.
        private async Task<string> WhoChangedAsync(Guid id, long since, CancellationToken ct)
        {
            var events = await session.Events.FetchStreamAsync(id, fromVersion: since + 1, token: ct);
            if (events.LastOrDefault() is not { } last)
                return "The user changed since you opened the form. Reload it and make your changes again.";
            var by = Guid.TryParse(last.UserName, out var actorId)
                ? (await session.LoadAsync<User>(actorId, ct))?.EmployeeName() ?? "someone"
                : last.UserName ?? "someone";
            return $"{by} changed this user at {last.Timestamp.UtcDateTime:yyyy-MM-dd HH:mm} UTC, after you opened "
                + "the form. Nothing was saved: reload it and make your changes again.";
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPut(
                    "/api/tenants/{tenant}/users/{id:guid}/form",
                    async (Guid id, Body body, HttpContext http, IMediator mediator, CancellationToken ct) =>
                    {
                        await mediator.Send(new Command(id, ETags.ExpectedVersion(http.Request), body), ct);
                        var user = await mediator.Send(new GetUser.Query(id), ct);
                        return http.WithETag(user.Version, UserResponse.From(user));
                    }
                )
                .WithTags("Users")
                .WithName("SaveUserForm")
                .WithSummary("Save the user form")
                .WithDescription(
                    "Everything the console's user form changes, in one transaction: the fields of `PUT /users/{id}`, "
                        + "`isActive` (with a `reason`), `isSystemAdministrator`, roles to assign and remove, rights "
                        + "granted and revoked, sale points (with the role there) and stores to add and remove, "
                        + "whether future ones are added, and the default store. Applied "
                        + "whole or refused whole, each part by the rules of its own endpoint; the problem names each "
                        + "field refused. Needs `If-Match`; a stale one answers 412 saying who changed the user."
                )
                .TakesIfMatch()
                .AnswersWithETag()
                .Produces<UserResponse>()
                .ProducesValidationProblem()
                .ProducesProblem(StatusCodes.Status428PreconditionRequired)
                .RequireFeature(IdentityModule.ManageUsers);
    }
}
