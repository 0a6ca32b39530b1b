using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.BuildingBlocks.TimeBoxes;

namespace OrderStream.Modules.Roles.Decisions;

/// <summary>
/// "May this user do this, here?" with the reasons. Anyone may ask about themselves; asking about others needs
/// can-check-authorization (services) or the rights to manage users' rights. With <c>asOf</c>, the answer as it was at
/// that instant, rebuilt from the history (issue #6); the right to ask is judged now.
/// </summary>
internal static class CheckAuthorization
{
    public const int MaxChecks = 1000;

    public sealed record Check(
        Guid? UserId,
        string? Feature,
        int? MinQualifier,
        Guid? SalePointId,
        Guid? StoreId = null,
        DateTimeOffset? AsOf = null
    ) : IQuery<Decision>;

    public sealed record Query(IReadOnlyList<Check> Checks) : IQuery<IReadOnlyList<Decision>>;

    /// <summary><c>AsOf</c>: the instant of every check that names none of its own.</summary>
    public sealed record Many(IReadOnlyList<Check>? Checks, DateTimeOffset? AsOf = null);

    /// <summary>The answers to <see cref="Many"/>, in the order of its checks.</summary>
    public sealed record ManyDecisions(IReadOnlyList<Decision> Decisions);

    public sealed class CheckValidator : AbstractValidator<Check>
    {
        public CheckValidator(TimeProvider clock)
        {
            RuleFor(c => c.UserId).NotEmpty();
            RuleFor(c => c.Feature).NotEmpty().MaximumLength(100);
            RuleFor(c => c.MinQualifier).GreaterThanOrEqualTo(0);
            RuleFor(c => c.AsOf).PastInstant(clock);
        }
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(q => q.Checks)
                .NotEmpty()
                .Must(c => c.Count <= MaxChecks)
                .WithMessage($"At most {MaxChecks} checks in one call.");
            RuleForEach(q => q.Checks).NotNull().SetValidator(new CheckValidator(clock));
        }
    }

    internal sealed class Handler(AccessEngine engine, TenantContext tenant, ActorContext actor)
        : IRequestHandler<Query, IReadOnlyList<Decision>>,
            IRequestHandler<Check, Decision>
    {
        public async Task<Decision> Handle(Check check, CancellationToken ct) => (await Decide([check], "", ct))[0];

        public Task<IReadOnlyList<Decision>> Handle(Query q, CancellationToken ct) => Decide(q.Checks, "checks", ct);

        private async Task<IReadOnlyList<Decision>> Decide(
            IReadOnlyList<Check> checks,
            string field,
            CancellationToken ct
        )
        {
            var now = await engine.TenantAsync(tenant.Tenant, ct);
            var asking = actor.RequireUser();
            var caller = asking.UserId;
            // A POS token decides about its own user, at its sale point (ADR 0020).
            if (asking.IsPos)
                checks = [.. checks.Select(c => PosScoped(asking, c))];
            // Loops, not LINQ: a single check is the hot path (tens of thousands a second), and it asks about no past
            // instant.
            var (others, anyPast) = (false, false);
            foreach (var c in checks)
                (others, anyPast) = (others || c.UserId != caller, anyPast || c.AsOf is not null);
            if (others && !now.MayAskAboutOthers(caller))
                throw new ForbiddenException(
                    $"Asking about other users needs the secure feature '{RolesModule.CheckAuthorization}'."
                );
            // Each past instant asked about is rebuilt once, for the users asked about at it.
            var past = anyPast ? new Dictionary<DateTimeOffset, TenantAccess>() : null;
            if (past is not null)
                foreach (var at in checks.Where(c => c.AsOf is not null).GroupBy(c => c.AsOf!.Value))
                    past[at.Key] = await engine.AsOfAsync(
                        tenant.Tenant,
                        at.Key,
                        at.Select(c => c.UserId!.Value).Distinct().ToList(),
                        ct
                    );
            // Users not loaded yet (imported since the load, say) are read together, not one round trip each (#22).
            if (checks.Count > 1)
                await now.LoadUsersAsync(engine, checks.Where(c => c.AsOf is null).Select(c => c.UserId!.Value), ct);
            OrderStream.BuildingBlocks.Telemetry.Decisions.Add(checks.Count);
            var decisions = new List<Decision>(checks.Count);
            for (var i = 0; i < checks.Count; i++)
            {
                var check = checks[i];
                var access = check.AsOf is { } asOf ? past![asOf] : now;
                var feature = await access.FeatureAsync(engine, check.Feature!, ct)
                    ?? throw new FieldRuleException(
                        field.Length == 0 ? "feature" : $"{field}[{i}].feature",
                        $"There is no secure feature '{check.Feature}'."
                    );
                var user = await access.UserAsync(engine, check.UserId!.Value, ct);
                var salePoint = await PlaceAsync(access, check.SalePointId, false, field, i, ct);
                var store = await PlaceAsync(access, check.StoreId, true, field, i, ct);
                decisions.Add(Explain.Decide(access, user, feature, check.MinQualifier, salePoint, store));
            }
            return decisions;
        }

        private static Check PosScoped(CurrentUser user, Check check)
        {
            user.RequirePosScope(check.UserId!.Value, check.SalePointId);
            return check with { SalePointId = user.SalePointId };
        }

        private async Task<SalePoints.Contracts.LocationFacts?> PlaceAsync(
            TenantAccess access,
            Guid? id,
            bool store,
            string field,
            int i,
            CancellationToken ct
        )
        {
            if (id is not { } wanted)
                return null;
            var name = store ? "storeId" : "salePointId";
            return await access.RequireLocationAsync(
                engine,
                wanted,
                store,
                field.Length == 0 ? name : $"{field}[{i}].{name}",
                ct
            );
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
        {
            app.MapPost(
                    "/api/tenants/{tenant}/authorization/check",
                    async (Check body, IMediator mediator, CancellationToken ct) => await mediator.Send(body, ct)
                )
                .WithTags("Authorization")
                .WithName("CheckAuthorization")
                .WithSummary("Decide whether a user may do something")
                .WithDescription(
                    "Answers allowed or not with the explanation (roles, grants, tiers, sale point), now "
                        + "or as of a past instant (`asOf`)."
                )
                .Produces<Decision>()
                .RequireAuthorization()
                .AcceptPosTokens();
            app.MapPost(
                    "/api/tenants/{tenant}/authorization/check-many",
                    async (Many body, IMediator mediator, CancellationToken ct) =>
                        new ManyDecisions(
                            await mediator.Send(
                                new Query(
                                    body.Checks?.Select(c =>
                                            c is null || c.AsOf is not null ? c! : c with { AsOf = body.AsOf }
                                        )
                                        .ToList()
                                        ?? []
                                ),
                                ct
                            )
                        )
                )
                .WithTags("Authorization")
                .WithName("CheckAuthorizationMany")
                .Produces<ManyDecisions>()
                .WithSummary("Decide many checks at once")
                .WithDescription(
                    "Many checks in one call (up to 1 MB of body), each answered like one check, in the order asked."
                )
                .RequireAuthorization()
                .AcceptPosTokens()
                .WithBodyLimit(1024 * 1024);
        }
    }
}
