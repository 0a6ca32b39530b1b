using System.Security.Cryptography;
using System.Text;
using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Billing.Settings;

internal sealed record BillingPriceSet(decimal PricePerUser, string Currency, DateTimeOffset At, string By);

/// <summary>
/// A tenant's billing settings; a stream, so that every price change is audited. Months follow the tenant's time zone.
/// </summary>
internal sealed class BillingSettings
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public decimal PricePerUser { get; set; }
    public string Currency { get; set; } = "";

    public static Guid StreamId(string tenant) =>
        new(MD5.HashData(Encoding.UTF8.GetBytes("billing-settings:" + tenant)));

    public void Apply(BillingPriceSet e) => (PricePerUser, Currency) = (e.PricePerUser, e.Currency);

    public static BillingSettings Create(BillingPriceSet e) =>
        new() { PricePerUser = e.PricePerUser, Currency = e.Currency };
}

internal sealed record BillingSettingsResponse(decimal PricePerUser, string Currency, string TimeZone, long Version);
