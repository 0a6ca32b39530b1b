namespace OrderStream.BuildingBlocks.Tenancy;

/// <summary>
/// A host company. Stored once for the whole service (not tenanted); created only by the bootstrap command.
/// </summary>
public sealed class Tenant
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string TimeZone { get; set; } = "UTC";
    public string Currency { get; set; } = "EUR";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// The tenant of the current request or background job. Set once, by the tenancy middleware or the event delivery.
/// </summary>
public sealed class TenantContext
{
    private string? _tenant;

    public string Tenant => _tenant ?? throw new InvalidOperationException("No tenant in this scope.");
    public bool HasTenant => _tenant is not null;

    public void Set(string tenant)
    {
        if (_tenant is not null && _tenant != tenant)
            throw new InvalidOperationException("The tenant of a scope cannot change.");
        _tenant = tenant;
    }
}

/// <summary>
/// The first event of a tenant's own stream, so that the audit log starts with the tenant's creation.
/// </summary>
public sealed record TenantCreated(string Code, string Name, string TimeZone, string Currency, DateTimeOffset At)
{
    public static Guid StreamId(string code) =>
        new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes("tenant:" + code)));
}
