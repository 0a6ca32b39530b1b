using System.Security.Cryptography;
using System.Text;
using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Billing.Settings;

internal sealed record BillingPriceSet(decimal PricePerUser, string Currency, DateTimeOffset At, string By);

/// <summary>A tenant's billing settings; a stream, so that every price change is audited. Months follow the tenant's time zone.</summary>
internal sealed class BillingSettings
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public decimal PricePerUser { get; set; }
    public string Currency { get; set; } = "";

    public static Guid StreamId(string tenant) => new(MD5.HashData(Encoding.UTF8.GetBytes("billing-settings:" + tenant)));

    public void Apply(BillingPriceSet e) => (PricePerUser, Currency) = (e.PricePerUser, e.Currency);

    public static BillingSettings Create(BillingPriceSet e) => new() { PricePerUser = e.PricePerUser, Currency = e.Currency };
}

internal sealed record BillingSettingsResponse(decimal PricePerUser, string Currency, string TimeZone, long Version);

internal static class BillingSettingsSlice
{
    internal sealed record Body(decimal? PricePerUser, string? Currency);

    internal sealed record Save(decimal? PricePerUser, string? Currency, long? ExpectedVersion) : ICommand<Unit>;

    internal sealed class Validator : AbstractValidator<Save>
    {
        public Validator()
        {
            RuleFor(s => s.PricePerUser).NotNull().InclusiveBetween(0m, 100_000m).PrecisionScale(9, 2, true);
            RuleFor(s => s.Currency).Matches("^[A-Z]{3}$").WithMessage("Currency must be an ISO 4217 code such as EUR.").When(s => s.Currency is not null);
        }
    }

    internal sealed class Handler(IDocumentSession session, TenantContext tenant, TenantDirectory tenants, ActorContext actor, TimeProvider clock)
        : IRequestHandler<Save, Unit>
    {
        public async Task<Unit> Handle(Save s, CancellationToken ct)
        {
            var id = BillingSettings.StreamId(tenant.Tenant);
            var stream = s.ExpectedVersion is { } v
                ? (await session.FetchForUpdateAsync<BillingSettings>(id, v, "billing settings", ct)).Stream
                : await session.Events.FetchForWriting<BillingSettings>(id, ct);
            var currency = s.Currency ?? stream.Aggregate?.Currency ?? (await tenants.FindAsync(tenant.Tenant, ct))!.Currency;
            stream.AppendOne(new BillingPriceSet(s.PricePerUser!.Value, currency, clock.GetUtcNow(), actor.RequireUser().UserId.ToString()));
            return Unit.Value;
        }
    }

    /// <summary>The settings in force: the tenant's currency and a price of 0 until an administrator sets one.</summary>
    public static async Task<BillingSettingsResponse> ReadAsync(IQuerySession session, TenantDirectory tenants, string tenant, CancellationToken ct)
    {
        var known = (await tenants.FindAsync(tenant, ct))!;
        var settings = await session.LoadAsync<BillingSettings>(BillingSettings.StreamId(tenant), ct);
        return new BillingSettingsResponse(settings?.PricePerUser ?? 0m, settings?.Currency ?? known.Currency, known.TimeZone, settings?.Version ?? 0);
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
        {
            app.MapGet("/api/tenants/{tenant}/billing/settings", async (string tenant, IQuerySession session, TenantDirectory tenants,
                    HttpContext http, CancellationToken ct) =>
                {
                    var settings = await ReadAsync(session, tenants, tenant, ct);
                    return http.WithETag(settings.Version, settings);
                })
                .WithTags("Billing").WithName("GetBillingSettings").RequireFeature(BillingModule.ViewBilling);
            app.MapPut("/api/tenants/{tenant}/billing/settings", async (string tenant, Body body, IMediator mediator, IQuerySession session,
                    TenantDirectory tenants, HttpContext http, CancellationToken ct) =>
                {
                    await mediator.Send(new Save(body.PricePerUser, body.Currency, ETags.ExpectedVersion(http.Request)), ct);
                    var settings = await ReadAsync(session, tenants, tenant, ct);
                    return http.WithETag(settings.Version, settings);
                })
                .WithTags("Billing").WithName("SaveBillingSettings").RequireFeature(BillingModule.ManageBilling);
        }
    }
}
