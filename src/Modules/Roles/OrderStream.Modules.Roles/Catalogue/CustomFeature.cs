namespace OrderStream.Modules.Roles.Catalogue;

/// <summary>A tenant's own secure feature (seed 001: "Can Maintain User Roles" may save secure features).</summary>
internal sealed record CustomFeatureAdded(Guid Id, string Code, string Name, string Area, string? Description);

internal sealed record CustomFeatureEdited(
    string Code,
    string Name,
    string Area,
    string? Description,
    string PreviousName,
    string PreviousArea,
    string? PreviousDescription
);

/// <summary>Inactive, the feature gives nothing to whoever holds it; active again, it gives what it gave.</summary>
internal sealed record CustomFeatureActiveChanged(string Code, string Name, bool Active);

/// <summary>Held by no role and no user when removed; its code stays taken, so old audit entries keep their sense.
/// </summary>
internal sealed record CustomFeatureRemoved(string Code, string Name);

internal sealed class CustomFeature
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string Area { get; set; } = "";
    public string? Description { get; set; }
    public bool Active { get; set; } = true;
    public bool Removed { get; set; }

    public static CustomFeature Create(CustomFeatureAdded e) =>
        new()
        {
            Id = e.Id,
            Code = e.Code,
            Name = e.Name,
            Area = e.Area,
            Description = e.Description,
        };

    public void Apply(CustomFeatureEdited e) => (Name, Area, Description) = (e.Name, e.Area, e.Description);

    public void Apply(CustomFeatureActiveChanged e) => Active = e.Active;

    public void Apply(CustomFeatureRemoved _) => Removed = true;

    public SecureFeature ToFeature(Tier tier) =>
        new(Code, Name, Area, Description ?? "", tier, FeatureScope.Tenant, null, Active, null, [], Custom: true);
}

internal sealed record CustomFeatureResponse(
    string Id,
    string Code,
    string Name,
    string Area,
    string? Description,
    bool Active,
    long Version
)
{
    public static CustomFeatureResponse From(CustomFeature f) =>
        new(f.Id.ToString(), f.Code, f.Name, f.Area, f.Description, f.Active, f.Version);
}
