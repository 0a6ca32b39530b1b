using OrderStream.BuildingBlocks.Events;
using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Audit;

/// <summary>
/// The tenant's events a module's handler failed on and set aside (issue #22): what, which handler, the error, when.
/// Until re-delivered, the consuming module misses them (a user without a billing account, say).
/// </summary>
internal static class ListSetAsideEvents
{
    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet(
                    "/api/tenants/{tenant}/integration-events/set-aside",
                    (SetAsideEvents events, TenantContext tenancy, CancellationToken ct) =>
                        events.ListAsync(tenancy.Tenant, ct)
                )
                .WithTags("Audit")
                .WithName("ListSetAsideEvents")
                .WithSummary("List the events set aside")
                .WithDescription(
                    "Events a module's handler failed on three times and set aside so that the others went on; an "
                        + "outage never sets one aside. Readiness reports them as degraded."
                )
                .Produces<IReadOnlyList<UndeliveredIntegrationEvent>>()
                .RequireFeature(AuditModule.ViewAuditLog);
    }
}
