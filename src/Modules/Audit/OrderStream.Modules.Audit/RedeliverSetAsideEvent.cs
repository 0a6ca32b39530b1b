using OrderStream.BuildingBlocks.Events;
using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Audit;

/// <summary>
/// Hands an event set aside to its handler again, once the handler is fixed (issue #22): 204 when taken, 409 with the
/// handler's error when it fails again (the event stays aside). Handlers are idempotent, so a second try is safe.
/// </summary>
internal static class RedeliverSetAsideEvent
{
    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/integration-events/set-aside/{id:guid}/redeliver",
                    async (Guid id, SetAsideEvents events, TenantContext tenancy, CancellationToken ct) =>
                        await events.RedeliverAsync(tenancy.Tenant, id, ct) is { } error
                            ? throw new ConflictException($"The handler failed again: {error}")
                            : Results.NoContent()
                )
                .WithTags("Audit")
                .WithName("RedeliverSetAsideEvent")
                .WithSummary("Re-deliver an event set aside")
                .WithDescription(
                    "Hands the event to the handler that failed on it. 409 with the handler's error when it fails "
                        + "again; the event then stays aside."
                )
                .Produces(StatusCodes.Status204NoContent)
                .RequireFeature(AuditModule.ViewAuditLog);
    }
}
