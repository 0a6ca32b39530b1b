using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderStream.Modules.Roles.Catalogue;

/// <summary>Who may hold a feature and give it (PRODUCT.md, "privilege tiers"; ADR 0009).</summary>
internal enum Tier
{
    None,
    HostCompanyManager,
    SystemManager,
    SystemAdministrator,
}

/// <summary>
/// Where a feature applies: everywhere in the tenant, or at one sale point or store (the Sale Points module).
/// </summary>
internal enum FeatureScope
{
    Tenant,
    SalePoint,
    Store,
}

internal enum EffectKind
{
    FieldHidden,
    FieldDisabled,
    SaveBlocked,
    MenuHidden,
    ActionPrevented,
    Notification,
    Report,
}

/// <summary>
/// What holding the feature changes on a form, menu or action: from a qualifier on (<c>FromQualifier</c>), or only
/// below one (<c>BelowQualifier</c>: e.g. the note that an average cost was not updated, for holders without the
/// qualifier that would have updated it); neither: at any qualifier. <c>WhenSetting</c>: only while that tenant
/// setting is on; <c>RequiresAlso</c>: only for holders of that feature too (ADR 0028).
/// </summary>
internal sealed record Effect(
    EffectKind Kind,
    string Target,
    int? FromQualifier,
    int? BelowQualifier = null,
    string? WhenSetting = null,
    string? RequiresAlso = null
);

/// <summary>A host company setting that effects depend on (seed 001: "if ... is ticked"), off at first.</summary>
internal sealed record FeatureSetting(string Code, string Name, string Description);

/// <summary>
/// What the qualifier of a grant means: a threshold effects start from, or a limit (e.g. a maximum discount).
/// </summary>
internal sealed record QualifierMeaning(string Kind, string Meaning)
{
    public bool IsLimit => Kind == "limit";
}

internal sealed record SecureFeature(
    string Code,
    string Name,
    string Area,
    string Description,
    Tier Tier,
    FeatureScope Scope,
    IReadOnlyList<string>? UserTypes,
    bool Active,
    QualifierMeaning? Qualifier,
    IReadOnlyList<Effect> Effects,
    bool Custom = false
)
{
    /// <summary>Whether some effect starts at a qualifier (most do not: their effects hold at any level).</summary>
    [JsonIgnore]
    public bool HasThresholds { get; } = Effects.Any(e => e.FromQualifier is not null || e.BelowQualifier is not null);

    /// <summary>Whether some effect hangs on a tenant setting or on a second feature.</summary>
    [JsonIgnore]
    public bool HasConditions { get; } = Effects.Any(e => e.WhenSetting is not null || e.RequiresAlso is not null);
}

/// <summary>
/// The shipped catalogue (Catalogue/secure-features.json, versioned; ADR 0009), read once at start-up.
/// </summary>
internal sealed class FeatureCatalogue
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private sealed record File(
        int Version,
        IReadOnlyList<FeatureSetting> Settings,
        IReadOnlyList<SecureFeature> Features
    );

    public int Version { get; }
    public IReadOnlyList<SecureFeature> Features { get; }
    public IReadOnlyList<FeatureSetting> Settings { get; }
    private readonly Dictionary<string, SecureFeature> _byCode;

    public FeatureCatalogue()
    {
        using var stream = typeof(FeatureCatalogue).Assembly.GetManifestResourceStream("secure-features.json")
            ?? throw new InvalidOperationException("The secure feature catalogue is not embedded.");
        var file = JsonSerializer.Deserialize<File>(stream, Json)
            ?? throw new InvalidOperationException("The catalogue is empty.");
        Version = file.Version;
        Features = file.Features;
        Settings = file.Settings;
        _byCode = file.Features.ToDictionary(f => f.Code, StringComparer.Ordinal);
    }

    public SecureFeature? Find(string code) => _byCode.GetValueOrDefault(code);
}
