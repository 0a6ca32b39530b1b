using System.Globalization;
using System.Text;
using System.Text.Json;
using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Roles.Decisions;

/// <summary>
/// Users × features with the effective qualifier (issue #6), tenant-wide or at a sale point, as CSV or JSON. Written to
/// the response row by row from the engine's compiled holdings, so 20,000 users × 200 features never sit in memory at
/// once. A cell: empty (not held), the qualifier, "yes" (held, no qualifier) or "unlimited".
/// </summary>
internal static class PermissionMatrix
{
    private const int FlushEveryRows = 500;

    /// <summary>The JSON answer's shape, for the OpenAPI document; the endpoint writes it row by row.</summary>
    public sealed record Matrix(
        string? SalePointId,
        IReadOnlyList<MatrixFeature> Features,
        IReadOnlyList<MatrixUser> Users
    );

    public sealed record MatrixFeature(string Code, string Name);

    /// <summary><c>Permissions</c>: a cell per feature held, by feature code (see the summary above).</summary>
    public sealed record MatrixUser(
        string UserId,
        string Name,
        bool IsActive,
        IReadOnlyDictionary<string, string> Permissions
    );

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet(
                    "/api/tenants/{tenant}/reports/permission-matrix",
                    async (
                        string? format,
                        Guid? salePointId,
                        AccessEngine engine,
                        TenantContext tenancy,
                        HttpContext http,
                        CancellationToken ct
                    ) =>
                    {
                        var csv = QueryValues.Parse(format, ReportFormat.Csv, "format") == ReportFormat.Csv;
                        var access = await engine.TenantAsync(tenancy.Tenant, ct);
                        var place = salePointId is { } id
                            ? await access.RequireLocationAsync(engine, id, false, "salePointId", ct)
                            : null;
                        var users = (await access.AllUsersAsync(engine, ct))
                            .OrderBy(u => u.Facts.Name, StringComparer.CurrentCultureIgnoreCase)
                            .ThenBy(u => u.Facts.UserId)
                            .ToList();
                        var features = access.Features.ToList();
                        var cells = new string?[features.Count];
                        // One row's cells, reused: tenant-wide from the compiled holdings; at a sale point judged as
                        // the listing is.
                        void Fill(UserEntry user)
                        {
                            Array.Clear(cells);
                            if (!user.Facts.IsActive)
                                return;
                            if (place is null)
                            {
                                foreach (var (index, holding) in user.Holdings.Held())
                                    cells[index] = Cell(holding.Qualifier, holding.Unlimited);
                                return;
                            }
                            foreach (
                                var permission in EffectivePermissions.List(
                                    access,
                                    user,
                                    place.Id,
                                    access.WorksAt(user, place)
                                )
                            )
                                cells[access.IndexOf(permission.Code)] = Cell(
                                    permission.Qualifier,
                                    permission.Unlimited
                                );
                        }

                        var name = place is null ? "permission-matrix" : $"permission-matrix-{place.Code}";
                        if (csv)
                        {
                            http.Response.ContentType = "text/csv; charset=utf-8";
                            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}.csv\"";
                            await using var writer = new StreamWriter(
                                http.Response.Body,
                                new UTF8Encoding(false),
                                1 << 16
                            );
                            await writer.WriteAsync(
                                Csv.Line([.. new[] { "userId", "name", "active" }, .. features.Select(f => f.Code)])
                            );
                            var row = new StringBuilder();
                            for (var u = 0; u < users.Count; u++)
                            {
                                Fill(users[u]);
                                row.Clear()
                                    .Append(
                                        Csv.Line(
                                                users[u].Facts.UserId.ToString(),
                                                users[u].Facts.Name,
                                                users[u].Facts.IsActive ? "yes" : "no"
                                            )
                                            .TrimEnd()
                                    );
                                foreach (var cell in cells)
                                    row.Append(',').Append(cell);
                                row.Append("\r\n");
                                await writer.WriteAsync(row, ct);
                                if (u % FlushEveryRows == FlushEveryRows - 1)
                                    await writer.FlushAsync(ct);
                            }
                            return Results.Empty;
                        }

                        http.Response.ContentType = "application/json; charset=utf-8";
                        await using var json = new Utf8JsonWriter(http.Response.Body);
                        json.WriteStartObject();
                        json.WriteString("salePointId", place?.Id.ToString());
                        json.WriteStartArray("features");
                        foreach (var f in features)
                        {
                            json.WriteStartObject();
                            json.WriteString("code", f.Code);
                            json.WriteString("name", f.Name);
                            json.WriteEndObject();
                        }
                        json.WriteEndArray();
                        json.WriteStartArray("users");
                        for (var u = 0; u < users.Count; u++)
                        {
                            Fill(users[u]);
                            json.WriteStartObject();
                            json.WriteString("userId", users[u].Facts.UserId.ToString());
                            json.WriteString("name", users[u].Facts.Name);
                            json.WriteBoolean("isActive", users[u].Facts.IsActive);
                            json.WriteStartObject("permissions");
                            for (var i = 0; i < cells.Length; i++)
                                if (cells[i] is { } cell)
                                    json.WriteString(features[i].Code, cell);
                            json.WriteEndObject();
                            json.WriteEndObject();
                            if (u % FlushEveryRows == FlushEveryRows - 1)
                                await json.FlushAsync(ct);
                        }
                        json.WriteEndArray();
                        json.WriteEndObject();
                        await json.FlushAsync(ct);
                        return Results.Empty;
                    }
                )
                .WithTags("Reports")
                .WithName("PermissionMatrix")
                .Produces<Matrix>()
                .WithSummary("Report the permission matrix")
                .WithDescription("Users by secure features, as JSON or CSV (`format=csv`).")
                .RequireFeature(RolesModule.MaintainRoles, RolesModule.CheckAuthorization, RolesModule.BackOfficeUsers);
    }

    private static string Cell(int? qualifier, bool unlimited) =>
        unlimited ? "unlimited"
        : qualifier is { } q ? q.ToString(CultureInfo.InvariantCulture)
        : "yes";
}
