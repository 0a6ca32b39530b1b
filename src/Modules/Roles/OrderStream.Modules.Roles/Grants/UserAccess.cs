using System.Security.Cryptography;
using System.Text;
using OrderStream.Modules.Roles.Roles;

namespace OrderStream.Modules.Roles.Grants;

/// <summary>A role held tenant-wide. Roles at a sale point are the Sale Points module's records (its contracts feed the engine).</summary>
internal sealed record RoleAssignment(Guid RoleId);

// A user's rights in the Roles module: roles held and features granted directly. Before and after are kept on every change.
internal sealed record RoleAssigned(Guid UserId, Guid RoleId, string RoleName);

internal sealed record RoleUnassigned(Guid UserId, Guid RoleId, string RoleName, string? Reason);

internal sealed record FeatureGranted(Guid UserId, string FeatureCode, int? Qualifier, bool HadGrant, int? PreviousQualifier);

internal sealed record FeatureRevoked(Guid UserId, string FeatureCode, int? PreviousQualifier);

internal sealed class UserAccess
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public List<RoleAssignment> Roles { get; set; } = [];
    public List<Grant> Grants { get; set; } = [];

    /// <summary>Derived from the user id, so it never collides with Identity's stream of the same user.</summary>
    public static Guid StreamId(Guid userId) => new(MD5.HashData(Encoding.UTF8.GetBytes("user-access:" + userId)));

    public static UserAccess Empty(Guid userId) => new() { Id = StreamId(userId), UserId = userId };

    public void Apply(RoleAssigned e)
    {
        UserId = e.UserId;
        Roles.Add(new RoleAssignment(e.RoleId));
    }

    public void Apply(RoleUnassigned e)
    {
        UserId = e.UserId;
        Roles.Remove(new RoleAssignment(e.RoleId));
    }

    public void Apply(FeatureGranted e)
    {
        UserId = e.UserId;
        Grants.RemoveAll(g => g.FeatureCode == e.FeatureCode);
        Grants.Add(new Grant(e.FeatureCode, e.Qualifier));
    }

    public void Apply(FeatureRevoked e)
    {
        UserId = e.UserId;
        Grants.RemoveAll(g => g.FeatureCode == e.FeatureCode);
    }
}
