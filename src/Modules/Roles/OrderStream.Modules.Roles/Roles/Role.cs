using System.Text.Json.Serialization;

namespace OrderStream.Modules.Roles.Roles;

/// <summary>
/// One feature on a role or granted to a user directly; the qualifier is optional (seed 001). A direct grant also says
/// when it applies (time-boxed: from <c>ValidFrom</c> until <c>ValidUntil</c>), and who gave it when; a role's grants
/// never do.
/// </summary>
internal sealed record Grant(
    string FeatureCode,
    int? Qualifier,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? ValidFrom = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? ValidUntil = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? GivenAt = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? GivenBy = null
);

// A role's stream. Each edit keeps the state before and after, so an auditor (and issue #6's time travel) sees what
// changed.
internal sealed record RoleCreated(
    Guid RoleId,
    string Name,
    string? Description,
    IReadOnlyList<Grant> Grants,
    Guid? CopiedFrom
);

internal sealed record RoleEdited(
    Guid RoleId,
    string Name,
    string? Description,
    IReadOnlyList<Grant> Grants,
    string PreviousName,
    string? PreviousDescription,
    IReadOnlyList<Grant> PreviousGrants
);

internal sealed record RoleDeleted(Guid RoleId, string Name, IReadOnlyList<Guid> UnassignedFrom);

internal sealed class Role
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public string Name { get; set; } = "";

    /// <summary>Unique per tenant, ignoring case; null once deleted, so the name can be used again.</summary>
    public string? NameKey { get; set; }
    public string? Description { get; set; }
    public List<Grant> Grants { get; set; } = [];
    public bool IsDeleted { get; set; }

    /// <summary>
    /// The id as answers print it, made once: explanations and permission listings name roles thousands of times.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string IdText => _idText ??= Id.ToString();
    private string? _idText;

    public static string Key(string name) => name.Trim().ToLowerInvariant();

    public static Role Create(RoleCreated e) =>
        new()
        {
            Id = e.RoleId,
            Name = e.Name,
            NameKey = Key(e.Name),
            Description = e.Description,
            Grants = [.. e.Grants],
        };

    public void Apply(RoleEdited e)
    {
        Name = e.Name;
        NameKey = Key(e.Name);
        Description = e.Description;
        Grants = [.. e.Grants];
    }

    public void Apply(RoleDeleted _)
    {
        IsDeleted = true;
        NameKey = null;
    }
}
