using System.Security.Cryptography;
using System.Text;

namespace OrderStream.Modules.Roles.Settings;

internal sealed record FeatureSettingChanged(string Code, bool On, bool Previous);

/// <summary>
/// The values a tenant gives the settings the catalogue names (seed 001: "if the 'Secure Stock Adjustments' setting is
/// ticked ..."): an effect with <c>WhenSetting</c> applies only while its setting is on (ADR 0028). All off at first.
/// </summary>
internal sealed class FeatureSettings
{
    public static readonly Guid StreamId = new(MD5.HashData(Encoding.UTF8.GetBytes("feature-settings")));

    public Guid Id { get; set; }
    public long Version { get; set; }
    public List<string> On { get; set; } = [];

    public void Apply(FeatureSettingChanged e)
    {
        On.Remove(e.Code);
        if (e.On)
            On.Add(e.Code);
    }
}

internal sealed record FeatureSettingValue(string Code, string Name, string Description, bool On);

internal sealed record FeatureSettingsResponse(IReadOnlyList<FeatureSettingValue> Settings, long Version);
