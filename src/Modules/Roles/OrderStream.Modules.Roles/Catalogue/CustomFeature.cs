namespace OrderStream.Modules.Roles.Catalogue;

/// <summary>A tenant's own secure feature (seed 001: "Can Maintain User Roles" may save secure features).</summary>
internal sealed record CustomFeatureAdded(Guid Id, string Code, string Name, string Area, string? Description);

internal sealed class CustomFeature
{
    public Guid Id { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string Area { get; set; } = "";
    public string? Description { get; set; }

    public static CustomFeature Create(CustomFeatureAdded e) =>
        new()
        {
            Id = e.Id,
            Code = e.Code,
            Name = e.Name,
            Area = e.Area,
            Description = e.Description,
        };

    public SecureFeature ToFeature() =>
        new(Code, Name, Area, Description ?? "", Tier.None, FeatureScope.Tenant, null, true, null, [], Custom: true);
}
