using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.BuildingBlocks.TimeBoxes;
using OrderStream.Modules.Identity.Contracts;

namespace OrderStream.Modules.Roles.Decisions;

/// <summary>
/// Which data a back-office user works on (seed 000), for other modules and services to filter with: a Business Group
/// Manager all of the tenant, a Production Coordinator the Account Executives they are linked to, an Account Executive
/// their own accounts and orders, an Online Store Administrator their online store (full, or reports only with the
/// list); an inactive user, or one without a back-office type, nothing.
/// </summary>
internal static class GetDataScope
{
    /// <summary>
    /// <c>AsOf</c>: the scope as it was at that instant (type, links, status then), rebuilt from the history.
    /// </summary>
    public sealed record Query(Guid UserId, DateTimeOffset? AsOf = null) : IQuery<Scope>;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator(TimeProvider clock) => RuleFor(q => q.AsOf).PastInstant(clock);
    }

    public sealed record Scope(
        string UserId,
        string Kind,
        string Explanation,
        IReadOnlyList<string>? AccountExecutiveIds = null,
        string? OnlineStoreId = null,
        string? Access = null,
        IReadOnlyList<string>? ReportCodes = null
    );

    internal sealed class Handler(AccessEngine engine, TenantContext tenant, ActorContext actor)
        : IRequestHandler<Query, Scope>
    {
        public async Task<Scope> Handle(Query q, CancellationToken ct)
        {
            var access = await engine.TenantAsync(tenant.Tenant, ct);
            var caller = actor.RequireUser().UserId;
            if (q.UserId != caller && !access.MayAskAboutOthers(caller))
                throw new ForbiddenException(
                    $"Seeing another user's data scope needs '{RolesModule.CheckAuthorization}'."
                );
            var facts = (
                await access.UserAsync(engine, q.UserId, ct) ?? throw new NotFoundException("User", q.UserId.ToString())
            ).Facts;
            if (q.AsOf is { } asOf)
                facts = (
                    await engine.AskAsync(tenant.Tenant, new GetUserAccessFacts([q.UserId], asOf), ct)
                ).SingleOrDefault()
                    ?? throw new FieldRuleException(
                        "asOf",
                        $"User '{q.UserId}' did not exist yet at {Validity.Text(asOf)}."
                    );
            var id = facts.UserId.ToString();
            if (!facts.IsActive)
                return new Scope(id, "None", $"{facts.Name} is inactive.");
            return facts.Type switch
            {
                "BusinessGroupManager" => new Scope(
                    id,
                    "Tenant",
                    "A Business Group Manager works on all of the tenant's data."
                ),
                "ProductionCoordinator" => new Scope(
                    id,
                    "AccountExecutives",
                    "A Production Coordinator works on the data of the Account Executives they are linked to.",
                    AccountExecutiveIds: facts.CounterpartIds.Select(c => c.ToString()).ToList()
                ),
                "AccountExecutive" => new Scope(
                    id,
                    "Own",
                    "An Account Executive works on their own accounts and orders."
                ),
                "OnlineStoreAdministrator" when facts.AccessMode == "ReportsOnly" => new Scope(
                    id,
                    "OnlineStore",
                    "This Online Store Administrator sees only the listed reports of their online store.",
                    OnlineStoreId: facts.OnlineStoreId?.ToString(),
                    Access: "ReportsOnly",
                    ReportCodes: facts.ReportCodes
                ),
                "OnlineStoreAdministrator" => new Scope(
                    id,
                    "OnlineStore",
                    "This Online Store Administrator works on all accounts, orders and purchase orders of their "
                        + "online store.",
                    OnlineStoreId: facts.OnlineStoreId?.ToString(),
                    Access: "FullStoreAccess",
                    ReportCodes: facts.ReportCodes
                ),
                _ => new Scope(id, "None", $"{facts.Name} has no back-office type, so no back-office data."),
            };
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet(
                    "/api/tenants/{tenant}/users/{id:guid}/data-scope",
                    (Guid id, DateTimeOffset? asOf, IMediator mediator, CancellationToken ct) =>
                        mediator.Send(new Query(id, asOf), ct)
                )
                .WithTags("Authorization")
                .WithName("GetDataScope")
                .WithSummary("Read a user's data scope")
                .WithDescription("Which sale points, stores and reports a user's data is limited to.")
                .Produces<Scope>()
                .RequireAuthorization();
    }
}
