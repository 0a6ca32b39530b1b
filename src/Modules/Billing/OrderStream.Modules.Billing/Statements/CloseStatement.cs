using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Billing.Accounts;

namespace OrderStream.Modules.Billing.Statements;

/// <summary>
/// Closing a past month freezes its statement; later changes for it become adjustments on the next open statement.
/// </summary>
internal static class CloseStatement
{
    internal sealed record Command(string Month) : ICommand<Statement>;

    internal sealed class Handler(
        IDocumentSession session,
        TenantDirectory tenants,
        TenantContext tenant,
        ActorContext actor,
        TimeProvider clock,
        BillingAccountsCache cache
    ) : IRequestHandler<Command, Statement>
    {
        public async Task<Statement> Handle(Command c, CancellationToken ct)
        {
            var (year, month) = BillingData.ParseMonth(c.Month, "month");
            var data = await BillingData.LoadAsync(session, tenants, tenant, clock, cache, ct);
            var window = MonthWindow.Of(year, month, data.Zone);
            if (window.End > data.Now)
                throw new ConflictException(
                    $"{window.Key} has not ended yet; only a past month can be closed.",
                    "month"
                );
            if (data.Closed.Any(x => x.Id == window.Key))
                throw new ConflictException($"{window.Key} is closed already.", "month");
            var statement = data.StatementFor(window) with { Provisional = false, Closed = true };
            var by = actor.RequireUser().UserId.ToString();
            // Insert, not store: two concurrent closes of one month cannot both win.
            session.Insert(
                new ClosedStatement
                {
                    Id = window.Key,
                    Statement = statement,
                    ClosedAt = data.Now,
                    ClosedBy = by,
                }
            );
            session.Events.Append(
                BillingLedger.StreamId(tenant.Tenant),
                new StatementClosed(
                    window.Key,
                    statement.Count,
                    statement.Total,
                    statement.AdjustmentsTotal,
                    data.Now,
                    by
                )
            );
            return statement;
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/billing/statements/{month}/close",
                    (string month, IMediator mediator, CancellationToken ct) => mediator.Send(new Command(month), ct)
                )
                .WithTags("Billing")
                .WithName("CloseStatement")
                .WithSummary("Close a month's billing statement")
                .WithDescription(
                    "Freezes the month's statement; changes that arrive later become adjustments of the "
                        + "next open month. Audited."
                )
                .RequireFeature(BillingModule.ManageBilling);
    }
}

/// <summary>
/// The tenant's billing ledger stream: closings, so the audit log shows who closed which month with which totals.
/// </summary>
internal static class BillingLedger
{
    public static Guid StreamId(string tenant) =>
        new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes("billing-ledger:" + tenant)));
}
