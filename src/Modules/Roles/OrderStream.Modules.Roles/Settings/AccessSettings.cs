using System.Security.Cryptography;
using System.Text;
using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Roles.Settings;

internal sealed record AccessSettingsChanged(bool GrantOnlyWhatYouHold, bool Previous);

/// <summary>
/// The tenant's rules for giving rights (issue #6). <c>GrantOnlyWhatYouHold</c>: a user gives — directly, by editing a
/// role or by assigning one (also at a sale point) — only features they hold, with qualifiers no higher than their own.
/// Off by default: the manual lets a Back Office Users holder raise their own rights. Tier rules hold whatever the
/// setting.
/// </summary>
internal sealed class AccessSettings
{
    public static readonly Guid StreamId = new(MD5.HashData(Encoding.UTF8.GetBytes("access-settings")));

    public Guid Id { get; set; }
    public long Version { get; set; }
    public bool GrantOnlyWhatYouHold { get; set; }

    public void Apply(AccessSettingsChanged e) => GrantOnlyWhatYouHold = e.GrantOnlyWhatYouHold;

    public static async Task<bool> GrantOnlyWhatYouHoldAsync(IQuerySession session, CancellationToken ct) =>
        (await session.LoadAsync<AccessSettings>(StreamId, ct))?.GrantOnlyWhatYouHold ?? false;
}

internal sealed record AccessSettingsResponse(bool GrantOnlyWhatYouHold, long Version);
