using System.Globalization;
using OrderStream.Modules.Identity.Users;
using OrderStream.Modules.Roles.Contracts;

namespace OrderStream.Modules.Identity.Reports;

/// <summary>
/// "List Back Office Users" (seed 000): every user, active or not — the list the operator bills from.
/// </summary>
internal static class BackOfficeUsersReport
{
    public sealed record Row(
        string Id,
        string FirstName,
        string LastName,
        string LoginCode,
        string? Email,
        string? Type,
        string Status,
        DateTimeOffset CreatedAt,
        DateTimeOffset LastStatusChangeAt
    );

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet(
                    "/api/tenants/{tenant}/reports/back-office-users",
                    async (
                        string? format,
                        string? search,
                        string? status,
                        string? type,
                        bool? needsAssignment,
                        Guid? salePointId,
                        IQuerySession session,
                        HttpContext http,
                        CancellationToken ct
                    ) =>
                    {
                        var csv = QueryValues.Parse(format, ReportFormat.Json, "format") == ReportFormat.Csv;
                        if (search?.Length > 100)
                            throw new FieldRuleException("search", "The search is at most 100 characters.");
                        // The user list's filters, so that the report is the list an administrator is looking at.
                        var filter = new ListUsers.Query(
                            search,
                            QueryValues.Parse(status, ListUsers.Status.All, "status"),
                            type is null ? null : QueryValues.Parse(type, default(BackOfficeUserType), "type"),
                            needsAssignment,
                            ListUsers.SortBy.LastName,
                            false,
                            1,
                            1,
                            salePointId
                        );
                        var rows = ListUsers
                            .Handler.Filter(session, filter, User.SearchKey(search ?? ""))
                            .OrderBy(u => u.SortName)
                            .ThenBy(u => u.Id)
                            .ToAsyncEnumerable(ct)
                            .Select(u => new Row(
                                u.Id.ToString(),
                                u.FirstName,
                                u.LastName,
                                u.LoginCode,
                                u.Email,
                                u.Type?.ToString(),
                                u.IsActive ? "active" : "inactive",
                                u.CreatedAt,
                                u.LastStatusChangeAt
                            ));
                        // Read whole before answering (about 200 bytes a user): a slow reader must not hold a
                        // pooled connection while it reads (issue #22: 120 of them exhausted the pool).
                        var read = await rows.ToListAsync(ct);
                        if (!csv)
                            return Results.Ok(read);

                        http.Response.ContentType = "text/csv; charset=utf-8";
                        http.Response.Headers.ContentDisposition = "attachment; filename=\"back-office-users.csv\"";
                        await using var writer = new StreamWriter(http.Response.Body);
                        await writer.WriteAsync(
                            "id,firstName,lastName,loginCode,email,type,status,createdAt,lastStatusChangeAt\r\n"
                        );
                        foreach (var r in read)
                            await writer.WriteAsync(
                                Csv.Line(
                                    r.Id,
                                    r.FirstName,
                                    r.LastName,
                                    r.LoginCode,
                                    r.Email,
                                    r.Type,
                                    r.Status,
                                    r.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
                                    r.LastStatusChangeAt.ToString("O", CultureInfo.InvariantCulture)
                                )
                            );
                        return Results.Empty;
                    }
                )
                .WithTags("Reports")
                .WithName("BackOfficeUsersReport")
                .Produces<List<Row>>()
                .WithSummary("Report the back-office users")
                .WithDescription(
                    "The List Back Office Users report, as JSON or CSV (`format=csv`), of every user or of those the "
                        + "user list's filters choose (`search`, `status` — all by default —, `type`, "
                        + "`needsAssignment`, `salePointId`). `can-list-back-office-users` opens it on its own (seed "
                        + "001: the report's own feature)."
                )
                .RequireFeature([.. IdentityModule.ManageUsers, SecureFeatureCodes.ListBackOfficeUsers]);
    }
}
