using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Billing.Settings;

/// <summary>
/// The settings in force: the price per user and currency (the tenant's, and 0, until set), the tenant's time zone.
/// </summary>
internal static class GetBillingSettings
{
    internal sealed record Query : IQuery<BillingSettingsResponse>;

    internal sealed class Handler(IQuerySession session, TenantDirectory tenants, TenantContext tenant)
        : IRequestHandler<Query, BillingSettingsResponse>
    {
        public Task<BillingSettingsResponse> Handle(Query q, CancellationToken ct) =>
            ReadAsync(session, tenants, tenant.Tenant, ct);
    }

    public static async Task<BillingSettingsResponse> ReadAsync(
        IQuerySession session,
        TenantDirectory tenants,
        string tenant,
        CancellationToken ct
    )
    {
        var known = (await tenants.FindAsync(tenant, ct))!;
        var settings = await session.LoadAsync<BillingSettings>(BillingSettings.StreamId(tenant), ct);
        return new BillingSettingsResponse(
            settings?.PricePerUser ?? 0m,
            settings?.Currency ?? known.Currency,
            known.TimeZone,
            settings?.Version ?? 0
        );
    }

    /// <summary>The settings with their ETag: the answer of the read, and of a change once it is done.</summary>
    public static async Task<IResult> AnswerAsync(IMediator mediator, HttpContext http, CancellationToken ct)
    {
        var settings = await mediator.Send(new Query(), ct);
        return http.WithETag(settings.Version, settings);
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet(
                    "/api/tenants/{tenant}/billing/settings",
                    (IMediator mediator, HttpContext http, CancellationToken ct) => AnswerAsync(mediator, http, ct)
                )
                .WithTags("Billing")
                .WithName("GetBillingSettings")
                .WithSummary("Read the billing settings")
                .WithDescription("Price per user and currency, with an `ETag`.")
                .AnswersWithETag()
                .Produces<BillingSettingsResponse>()
                .RequireFeature(BillingModule.ViewBilling);
    }
}
