using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Billing.Licenses;

/// <summary>
/// The tenant's web office licenses (seed 002): how many are linked, confirmed and unused, and each one.
/// </summary>
internal static class GetLicenses
{
    public sealed record Query : IQuery<LicensePool>;

    public sealed record LicenseItem(
        string Id,
        string Status,
        string? UserId,
        string? Email,
        DateTimeOffset PurchasedAt,
        DateTimeOffset? LinkedAt,
        DateTimeOffset? ConfirmedAt,
        DateTimeOffset? ConfirmationExpiresAt
    );

    public sealed record Overview(
        int Total,
        int Linked,
        int Confirmed,
        int Unused,
        bool Enforced,
        long Version,
        IReadOnlyList<LicenseItem> Licenses
    );

    internal sealed class Handler(IQuerySession session, TenantContext tenant) : IRequestHandler<Query, LicensePool>
    {
        public async Task<LicensePool> Handle(Query q, CancellationToken ct) =>
            await session.LoadAsync<LicensePool>(LicensePool.StreamId(tenant.Tenant), ct) ?? new LicensePool();
    }

    /// <summary>The licenses with their ETag: the answer of the read, and of each change once it is done.</summary>
    public static async Task<IResult> AnswerAsync(IMediator mediator, HttpContext http, CancellationToken ct)
    {
        var pool = await mediator.Send(new Query(), ct);
        int Count(LicenseStatus s) => pool.Licenses.Count(l => l.Status == s);
        var items = pool
            .Licenses.Select(l => new LicenseItem(
                l.Id.ToString(),
                l.Status.ToString().ToLowerInvariant(),
                l.UserId?.ToString(),
                l.Email,
                l.PurchasedAt,
                l.LinkedAt,
                l.ConfirmedAt,
                l.TokenExpiresAt
            ))
            .ToList();
        return http.WithETag(
            pool.Version,
            new Overview(
                pool.Licenses.Count,
                Count(LicenseStatus.Linked),
                Count(LicenseStatus.Confirmed),
                Count(LicenseStatus.Unused),
                pool.Enforce,
                pool.Version,
                items
            )
        );
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet("/api/tenants/{tenant}/licenses", (IMediator mediator, HttpContext http, CancellationToken ct) =>
                    AnswerAsync(mediator, http, ct)
                )
                .WithTags("Licenses")
                .WithName("GetLicenses")
                .WithSummary("Read the licenses")
                .WithDescription("The tenant's license pool: purchased, linked and free licenses, with an `ETag`.")
                .AnswersWithETag()
                .Produces<Overview>()
                .RequireFeature(BillingModule.ViewBilling);
    }
}
