using System.Globalization;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Billing.Accounts;

namespace OrderStream.Modules.Billing.Statements;

/// <summary>
/// The monthly statement by the policy of seed 000, as JSON or CSV: every billable employee once, their accounts with
/// the reason, count, unit price, total and the adjustments of months closed before. Current and future months are
/// provisional.
/// </summary>
internal static class GetStatement
{
    internal sealed record Query(string Month) : IQuery<Statement>;

    internal sealed class Handler(
        IQuerySession session,
        TenantDirectory tenants,
        TenantContext tenant,
        TimeProvider clock,
        BillingAccountsCache cache
    ) : IRequestHandler<Query, Statement>
    {
        public async Task<Statement> Handle(Query q, CancellationToken ct)
        {
            var (year, month) = BillingData.ParseMonth(q.Month, "month");
            var data = await BillingData.LoadAsync(session, tenants, tenant, clock, cache, ct);
            var statement = data.StatementFor(MonthWindow.Of(year, month, data.Zone));
            return statement with { Closed = data.Closed.Any(c => c.Id == statement.Month) };
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet(
                    "/api/tenants/{tenant}/billing/statements/{month}",
                    async (string month, string? format, IMediator mediator, HttpContext http, CancellationToken ct) =>
                    {
                        var csv = QueryValues.Parse(format, ReportFormat.Json, "format") == ReportFormat.Csv;
                        var statement = await mediator.Send(new Query(month), ct);
                        if (!csv)
                            return Results.Ok(statement);
                        http.Response.Headers.ContentDisposition =
                            $"attachment; filename=\"statement-{statement.Month}.csv\"";
                        return Results.Text(ToCsv(statement), "text/csv; charset=utf-8");
                    }
                )
                .WithTags("Billing")
                .WithName("GetStatement")
                .Produces<Statement>()
                .WithSummary("Read a month's billing statement")
                .WithDescription(
                    "The statement of a month (`yyyy-MM`) with its accounts and reasons, as JSON or CSV "
                        + "(`format=csv`)."
                )
                .RequireFeature(BillingModule.ViewBilling);

        private static string ToCsv(Statement s)
        {
            var csv = new System.Text.StringBuilder(
                "kind,month,employeeName,userId,accountName,reason,amount,currency\r\n"
            );
            var price = s.UnitPrice.ToString(CultureInfo.InvariantCulture);
            foreach (var e in s.Employees)
            foreach (var (a, i) in e.Accounts.Select((a, i) => (a, i)))
                csv.Append(
                    Csv.Line(
                        "account",
                        s.Month,
                        e.EmployeeName,
                        a.UserId,
                        a.Name,
                        Reason(a.Reason),
                        i == 0 ? price : "0",
                        s.Currency
                    )
                );
            foreach (var a in s.Adjustments)
                csv.Append(
                    Csv.Line(
                        "adjustment",
                        a.ForMonth,
                        a.EmployeeName,
                        "",
                        "",
                        a.Change > 0 ? "added after closing" : "removed after closing",
                        a.Amount.ToString(CultureInfo.InvariantCulture),
                        s.Currency
                    )
                );
            csv.Append(
                Csv.Line(
                    "total",
                    s.Month,
                    "",
                    "",
                    "",
                    $"{s.Count} employees",
                    s.GrandTotal.ToString(CultureInfo.InvariantCulture),
                    s.Currency
                )
            );
            return csv.ToString();
        }

        private static string Reason(BillingReason reason) =>
            reason == BillingReason.ActiveWholeMonth ? "active the whole month" : "deactivated during the month";
    }
}
