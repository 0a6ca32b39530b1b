using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Billing.Accounts;

namespace OrderStream.Modules.Billing.Statements;

/// <summary>
/// The monthly series for a chart: each month's count and total, from <c>from</c> to <c>to</c> (up to 120 months).
/// </summary>
internal static class ListStatements
{
    public const int MaxMonths = 120;

    internal sealed record Query(string? From, string? To) : IQuery<Series>;

    internal sealed record SeriesPoint(string Month, int Count, decimal Total, bool Provisional, bool Closed);

    internal sealed record Series(string Currency, IReadOnlyList<SeriesPoint> Months);

    internal sealed class Handler(
        IQuerySession session,
        TenantDirectory tenants,
        TenantContext tenant,
        TimeProvider clock,
        BillingAccountsCache cache
    ) : IRequestHandler<Query, Series>
    {
        public async Task<Series> Handle(Query q, CancellationToken ct)
        {
            var (fy, fm) = BillingData.ParseMonth(q.From, "from");
            var (ty, tm) = BillingData.ParseMonth(q.To, "to");
            var months = (ty - fy) * 12 + tm - fm + 1;
            if (months is < 1 or > MaxMonths)
                throw new FieldRuleException("to", $"to must be from 0 to {MaxMonths - 1} months after from.");
            var data = await BillingData.LoadAsync(session, tenants, tenant, clock, cache, ct);
            var points = new List<SeriesPoint>();
            for (var window = MonthWindow.Of(fy, fm, data.Zone); points.Count < months; window = window.Next(data.Zone))
            {
                var (count, total) = data.FiguresFor(window);
                points.Add(
                    new SeriesPoint(
                        window.Key,
                        count,
                        total,
                        window.End > data.Now,
                        data.Closed.Any(c => c.Id == window.Key)
                    )
                );
            }
            return new Series(data.Settings.Currency, points);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet(
                    "/api/tenants/{tenant}/billing/statements",
                    (string? from, string? to, IMediator mediator, CancellationToken ct) =>
                        mediator.Send(new Query(from, to), ct)
                )
                .WithTags("Billing")
                .WithName("ListStatements")
                .WithSummary("List billing statements")
                .WithDescription("The months with a statement, newest first.")
                .RequireFeature(BillingModule.ViewBilling);
    }
}
