using Microsoft.Extensions.DependencyInjection;
using OrderStream.BuildingBlocks.TimeBoxes;
using OrderStream.Modules.Roles.Contracts;
using OrderStream.Modules.SalePoints.Contracts;

namespace OrderStream.Modules.Identity.Users;

/// <summary>
/// The same change for many users at once (issue #6): roles given and taken, sale points and stores added and removed,
/// deactivation. Each user is a row with its own transaction (<see cref="BulkRows"/>): applied whole or refused whole,
/// by the rules of the single changes (tier rules, the caller's rights, the default store...), and reported row by row.
/// With <c>dryRun</c> nothing is stored: the answer says what each row would change or why it would be refused.
/// </summary>
internal static class BulkChangeUsers
{
    public sealed record RoleBody(Guid RoleId, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil);

    public sealed record SalePointBody(
        Guid SalePointId,
        Guid RoleId,
        DateTimeOffset? ValidFrom,
        DateTimeOffset? ValidUntil
    );

    public sealed record Command(
        bool DryRun,
        IReadOnlyList<Guid>? UserIds,
        IReadOnlyList<RoleBody>? AssignRoles,
        IReadOnlyList<Guid>? RemoveRoles,
        IReadOnlyList<SalePointBody>? AddSalePoints,
        IReadOnlyList<Guid>? RemoveSalePoints,
        IReadOnlyList<Guid>? AddStores,
        IReadOnlyList<Guid>? RemoveStores,
        bool? Deactivate,
        string? Reason
    ) : ICommand<BulkResult>
    {
        // Worked out from the lists, not sent: kept out of the request's schema.
        [System.Text.Json.Serialization.JsonIgnore]
        public bool ChangesRoles => AssignRoles is { Count: > 0 } || RemoveRoles is { Count: > 0 };

        [System.Text.Json.Serialization.JsonIgnore]
        public bool ChangesLocations =>
            AddSalePoints is { Count: > 0 }
            || RemoveSalePoints is { Count: > 0 }
            || AddStores is { Count: > 0 }
            || RemoveStores is { Count: > 0 };
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(c => c.UserIds)
                .Cascade(CascadeMode.Stop)
                .NotEmpty()
                .WithMessage("Name at least one user.")
                .Must(ids => ids!.Count <= BulkRows.MaxRows)
                .WithMessage($"At most {BulkRows.MaxRows} users in one call.")
                .Must(ids => ids!.Distinct().Count() == ids!.Count)
                .WithMessage("Each user may be listed once.");
            RuleForEach(c => c.UserIds).NotEmpty();
            RuleFor(c => c)
                .Must(c => c.ChangesRoles || c.ChangesLocations || c.Deactivate == true)
                .WithMessage(
                    "Say what to change: assignRoles, removeRoles, addSalePoints, removeSalePoints, addStores, "
                        + "removeStores or deactivate."
                )
                .OverridePropertyName("body");
            RuleForEach(c => c.AssignRoles)
                .NotNull()
                .ChildRules(r =>
                {
                    r.RuleFor(x => x.RoleId).NotEmpty();
                    Validity.Rules(r, x => x.ValidFrom, x => x.ValidUntil, clock);
                });
            RuleForEach(c => c.AddSalePoints)
                .NotNull()
                .ChildRules(s =>
                {
                    s.RuleFor(x => x.SalePointId).NotEmpty();
                    s.RuleFor(x => x.RoleId).NotEmpty();
                    Validity.Rules(s, x => x.ValidFrom, x => x.ValidUntil, clock);
                });
            // Null items are refused above; the rules across items skip them rather than fail on them.
            Distinct(c => c.AssignRoles?.Select(r => r?.RoleId ?? Guid.Empty), "assignRoles", "role");
            Distinct(c => c.RemoveRoles, "removeRoles", "role");
            Distinct(c => c.AddSalePoints?.Select(s => s?.SalePointId ?? Guid.Empty), "addSalePoints", "sale point");
            Distinct(c => c.RemoveSalePoints, "removeSalePoints", "sale point");
            Distinct(c => c.AddStores, "addStores", "store");
            Distinct(c => c.RemoveStores, "removeStores", "store");
            Apart(
                c => c.AssignRoles?.Select(r => r?.RoleId ?? Guid.Empty),
                c => c.RemoveRoles,
                "removeRoles",
                "A role cannot be both assigned and removed."
            );
            Apart(
                c => c.AddSalePoints?.Select(s => s?.SalePointId ?? Guid.Empty),
                c => c.RemoveSalePoints,
                "removeSalePoints",
                "A sale point cannot be both added and removed."
            );
            Apart(c => c.AddStores, c => c.RemoveStores, "removeStores", "A store cannot be both added and removed.");
            RuleForEach(c => c.RemoveRoles).NotEmpty();
            RuleForEach(c => c.RemoveSalePoints).NotEmpty();
            RuleForEach(c => c.AddStores).NotEmpty();
            RuleForEach(c => c.RemoveStores).NotEmpty();
            RuleFor(c => c.Reason).MaximumLength(500);
            RuleFor(c => c.Reason).Null().WithMessage("A reason goes with deactivate.").When(c => c.Deactivate != true);
        }

        private void Distinct(Func<Command, IEnumerable<Guid>?> ids, string field, string what) =>
            RuleFor(c => ids(c))
                .Must(l => l is null || l.Distinct().Count() == l.Count())
                .WithMessage($"Each {what} may be listed once.")
                .OverridePropertyName(field);

        private void Apart(
            Func<Command, IEnumerable<Guid>?> added,
            Func<Command, IEnumerable<Guid>?> removed,
            string field,
            string message
        ) =>
            RuleFor(c => c)
                .Must(c => added(c) is not { } a || removed(c) is not { } r || !a.Intersect(r).Any())
                .WithMessage(message)
                .OverridePropertyName(field);
    }

    internal sealed class Handler(BulkRows rows, IMediator mediator) : IRequestHandler<Command, BulkResult>
    {
        public async Task<BulkResult> Handle(Command c, CancellationToken ct)
        {
            await mediator.Send(new LoadUsersForDecisions(c.UserIds!), ct);
            var results = new List<RowResult>(c.UserIds!.Count);
            foreach (var userId in c.UserIds)
                results.Add(
                    await rows.RunAsync(
                        results.Count + 1,
                        userId,
                        c.DryRun,
                        (services, token) => ChangeAsync(services, c, userId, token),
                        ct
                    )
                );
            return BulkRows.Summary(c.DryRun, results);
        }

        private static async Task<(Guid, IReadOnlyList<string>)> ChangeAsync(
            IServiceProvider services,
            Command c,
            Guid userId,
            CancellationToken ct
        )
        {
            var session = services.GetRequiredService<IDocumentSession>();
            var mediator = services.GetRequiredService<IMediator>();
            // Read once here: the other modules are told it exists rather than asking again.
            var user = await session.LoadAsync<User>(userId, ct)
                ?? throw new NotFoundException("User", userId.ToString());
            var changes = new List<string>();
            if (c.ChangesRoles)
                changes.AddRange(
                    await mediator.Send(
                        new ChangeUserRights(
                            userId,
                            true,
                            [.. (c.AssignRoles ?? []).Select(r => new RoleToGive(r.RoleId, r.ValidFrom, r.ValidUntil))],
                            c.RemoveRoles ?? []
                        ),
                        ct
                    )
                );
            if (c.ChangesLocations)
                changes.AddRange(
                    await mediator.Send(
                        new ChangeUserLocations(
                            userId,
                            true,
                            [
                                .. (c.AddSalePoints ?? []).Select(s => new SalePointToAdd(
                                    s.SalePointId,
                                    s.RoleId,
                                    s.ValidFrom,
                                    s.ValidUntil
                                )),
                            ],
                            c.RemoveSalePoints ?? [],
                            c.AddStores ?? [],
                            c.RemoveStores ?? []
                        ),
                        ct
                    )
                );
            // Already inactive is what was asked for: nothing to do, not a refusal.
            if (c.Deactivate == true && user.IsActive)
            {
                await mediator.Send(new ChangeUserStatus.Command(userId, false, c.Reason, null), ct);
                changes.Add(c.Reason is null ? "deactivated" : $"deactivated ({c.Reason})");
            }
            return (userId, changes);
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/users/bulk",
                    (Command command, IMediator mediator, CancellationToken ct) => mediator.Send(command, ct)
                )
                .WithTags("Users")
                .WithName("BulkChangeUsers")
                .WithSummary("Change many users in one call")
                .WithDescription(
                    "Each row is its own transaction: a row that fails is reported with its problems and "
                        + "the others still commit. With `dryRun` nothing is written. Every row is judged by "
                        + "who-may-change-whom like a single change, and audited."
                )
                .Produces<BulkResult>()
                .ProducesValidationProblem()
                .WithBodyLimit(1024 * 1024)
                .RequireFeature(IdentityModule.ManageUsers);
    }
}
