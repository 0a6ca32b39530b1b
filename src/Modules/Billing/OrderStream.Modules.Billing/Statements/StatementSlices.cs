using System.Globalization;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Billing.Accounts;

namespace OrderStream.Modules.Billing.Statements;

/// <summary>The monthly statement (JSON or CSV) and the monthly series for a chart.</summary>
internal static class GetStatement
{
    internal sealed record Query(string Month) : IQuery<Statement>;

    internal sealed class Handler(IQuerySession session, TenantDirectory tenants, TenantContext tenant, TimeProvider clock,
        BillingAccountsCache cache) : IRequestHandler<Query, Statement>
    {
        public async Task<Statement> Handle(Query q, CancellationToken ct)
        {
            var (year, month) = BillingData.ParseMonth(q.Month, "month");
            var data = await BillingData.LoadAsync(session, tenants, tenant, clock, cache, ct);
            var statement = data.StatementFor(MonthWindow.Of(year, month, data.Zone));
            return statement with { Closed = data.Closed.Any(c => c.Id == statement.Month) };
        }
    }

    internal sealed record SeriesPoint(string Month, int Count, decimal Total, bool Provisional, bool Closed);

    internal sealed record Series(string Currency, IReadOnlyList<SeriesPoint> Months);

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
        {
            app.MapGet("/api/tenants/{tenant}/billing/statements/{month}", async (string month, string? format, IMediator mediator,
                    HttpContext http, CancellationToken ct) =>
                {
                    format = (format ?? "json").ToLowerInvariant();
                    if (format is not ("json" or "csv")) throw new FieldRuleException("format", "format must be csv or json.");
                    var statement = await mediator.Send(new Query(month), ct);
                    if (format == "json") return Results.Ok(statement);
                    http.Response.Headers.ContentDisposition = $"attachment; filename=\"statement-{statement.Month}.csv\"";
                    return Results.Text(ToCsv(statement), "text/csv; charset=utf-8");
                })
                .WithTags("Billing").WithName("GetStatement").RequireFeature(BillingModule.ViewBilling);

            app.MapGet("/api/tenants/{tenant}/billing/statements", async (string? from, string? to, IQuerySession session,
                    TenantDirectory tenants, TenantContext tenantContext, TimeProvider clock, BillingAccountsCache cache, CancellationToken ct) =>
                {
                    var (fy, fm) = BillingData.ParseMonth(from, "from");
                    var (ty, tm) = BillingData.ParseMonth(to, "to");
                    var months = (ty - fy) * 12 + tm - fm + 1;
                    if (months is < 1 or > 120) throw new FieldRuleException("to", "to must be from 0 to 119 months after from.");
                    var data = await BillingData.LoadAsync(session, tenants, tenantContext, clock, cache, ct);
                    var points = new List<SeriesPoint>();
                    for (var window = MonthWindow.Of(fy, fm, data.Zone); points.Count < months; window = window.Next(data.Zone))
                    {
                        var (count, total) = data.FiguresFor(window);
                        points.Add(new SeriesPoint(window.Key, count, total, window.End > data.Now, data.Closed.Any(c => c.Id == window.Key)));
                    }
                    return new Series(data.Settings.Currency, points);
                })
                .WithTags("Billing").WithName("ListStatements").RequireFeature(BillingModule.ViewBilling);
        }

        private static string ToCsv(Statement s)
        {
            var csv = new System.Text.StringBuilder("kind,month,employeeName,userId,accountName,reason,amount,currency\r\n");
            var price = s.UnitPrice.ToString(CultureInfo.InvariantCulture);
            foreach (var e in s.Employees)
                foreach (var (a, i) in e.Accounts.Select((a, i) => (a, i)))
                    csv.Append(Csv.Line("account", s.Month, e.EmployeeName, a.UserId, a.Name, Reason(a.Reason), i == 0 ? price : "0", s.Currency));
            foreach (var a in s.Adjustments)
                csv.Append(Csv.Line("adjustment", a.ForMonth, a.EmployeeName, "", "", a.Change > 0 ? "added after closing" : "removed after closing",
                    a.Amount.ToString(CultureInfo.InvariantCulture), s.Currency));
            csv.Append(Csv.Line("total", s.Month, "", "", "", $"{s.Count} employees", s.GrandTotal.ToString(CultureInfo.InvariantCulture), s.Currency));
            return csv.ToString();
        }

        private static string Reason(BillingReason reason) =>
            reason == BillingReason.ActiveWholeMonth ? "active the whole month" : "deactivated during the month";
    }
}

/// <summary>Closing a past month freezes its statement; later changes for it become adjustments on the next open statement.</summary>
internal static class CloseStatement
{
    internal sealed record Command(string Month) : ICommand<Statement>;

    internal sealed class Handler(IDocumentSession session, TenantDirectory tenants, TenantContext tenant, ActorContext actor, TimeProvider clock,
        BillingAccountsCache cache) : IRequestHandler<Command, Statement>
    {
        public async Task<Statement> Handle(Command c, CancellationToken ct)
        {
            var (year, month) = BillingData.ParseMonth(c.Month, "month");
            var data = await BillingData.LoadAsync(session, tenants, tenant, clock, cache, ct);
            var window = MonthWindow.Of(year, month, data.Zone);
            if (window.End > data.Now) throw new ConflictException($"{window.Key} has not ended yet; only a past month can be closed.", "month");
            if (data.Closed.Any(x => x.Id == window.Key)) throw new ConflictException($"{window.Key} is closed already.", "month");
            var statement = data.StatementFor(window) with { Provisional = false, Closed = true };
            var by = actor.RequireUser().UserId.ToString();
            // Insert, not store: two concurrent closes of one month cannot both win.
            session.Insert(new ClosedStatement { Id = window.Key, Statement = statement, ClosedAt = data.Now, ClosedBy = by });
            session.Events.Append(BillingLedger.StreamId(tenant.Tenant),
                new StatementClosed(window.Key, statement.Count, statement.Total, statement.AdjustmentsTotal, data.Now, by));
            return statement;
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost("/api/tenants/{tenant}/billing/statements/{month}/close", (string month, IMediator mediator, CancellationToken ct) =>
                    mediator.Send(new Command(month), ct))
                .WithTags("Billing").WithName("CloseStatement").RequireFeature(BillingModule.ManageBilling);
    }
}

/// <summary>The tenant's billing ledger stream: closings, so the audit log shows who closed which month with which totals.</summary>
internal static class BillingLedger
{
    public static Guid StreamId(string tenant) =>
        new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes("billing-ledger:" + tenant)));
}
