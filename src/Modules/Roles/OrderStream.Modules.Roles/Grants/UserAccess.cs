using System.Security.Cryptography;
using System.Text;
using OrderStream.Modules.Roles.Roles;

namespace OrderStream.Modules.Roles.Grants;

/// <summary>
/// A role held tenant-wide, time-boxed when <c>ValidFrom</c> or <c>ValidUntil</c> is set, with who gave it when (null
/// for assignments made before that was recorded). Roles at a sale point are the Sale Points module's records.
/// </summary>
internal sealed record RoleAssignment(
    Guid RoleId,
    DateTimeOffset? ValidFrom = null,
    DateTimeOffset? ValidUntil = null,
    DateTimeOffset? GivenAt = null,
    string? GivenBy = null
);

// A user's rights in the Roles module: roles held and features granted directly. Before and after are kept on every
// change; giving a role again with another window replaces the window (Previous* say what it was).
internal sealed record RoleAssigned(
    Guid UserId,
    Guid RoleId,
    string RoleName,
    DateTimeOffset? ValidFrom = null,
    DateTimeOffset? ValidUntil = null,
    DateTimeOffset? At = null,
    string? By = null,
    bool HadRole = false,
    DateTimeOffset? PreviousValidFrom = null,
    DateTimeOffset? PreviousValidUntil = null
);

internal sealed record RoleUnassigned(Guid UserId, Guid RoleId, string RoleName, string? Reason);

internal sealed record FeatureGranted(
    Guid UserId,
    string FeatureCode,
    int? Qualifier,
    bool HadGrant,
    int? PreviousQualifier,
    DateTimeOffset? ValidFrom = null,
    DateTimeOffset? ValidUntil = null,
    DateTimeOffset? At = null,
    string? By = null
);

internal sealed record FeatureRevoked(Guid UserId, string FeatureCode, int? PreviousQualifier);

/// <summary>A time-boxed role assignment ended at <c>At</c> (its validUntil), recorded by the lapse sweeper.</summary>
internal sealed record RoleAssignmentLapsed(Guid UserId, Guid RoleId, string RoleName, DateTimeOffset At);

/// <summary>A time-boxed direct grant ended at <c>At</c> (its validUntil), recorded by the lapse sweeper.</summary>
internal sealed record GrantLapsed(Guid UserId, string FeatureCode, int? Qualifier, DateTimeOffset At);

internal sealed class UserAccess
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public Guid UserId { get; set; }
    public List<RoleAssignment> Roles { get; set; } = [];
    public List<Grant> Grants { get; set; } = [];

    /// <summary>
    /// The earliest end of a time-boxed role or grant: the lapse sweeper finds the users it must record lapses for.
    /// </summary>
    public DateTimeOffset? NextLapse { get; set; }

    /// <summary>Derived from the user id, so it never collides with Identity's stream of the same user.</summary>
    public static Guid StreamId(Guid userId) => new(MD5.HashData(Encoding.UTF8.GetBytes("user-access:" + userId)));

    public static UserAccess Empty(Guid userId) => new() { Id = StreamId(userId), UserId = userId };

    public RoleAssignment? Role(Guid roleId) => Roles.FirstOrDefault(r => r.RoleId == roleId);

    public void Apply(RoleAssigned e)
    {
        UserId = e.UserId;
        var at = Roles.FindIndex(r => r.RoleId == e.RoleId);
        var assignment = new RoleAssignment(e.RoleId, e.ValidFrom, e.ValidUntil, e.At, e.By);
        if (at >= 0)
            Roles[at] = assignment;
        else
            Roles.Add(assignment);
        Changed();
    }

    public void Apply(RoleUnassigned e) => RemoveRole(e.UserId, e.RoleId);

    public void Apply(RoleAssignmentLapsed e) => RemoveRole(e.UserId, e.RoleId);

    public void Apply(FeatureGranted e)
    {
        UserId = e.UserId;
        Grants.RemoveAll(g => g.FeatureCode == e.FeatureCode);
        Grants.Add(new Grant(e.FeatureCode, e.Qualifier, e.ValidFrom, e.ValidUntil, e.At, e.By));
        Changed();
    }

    public void Apply(FeatureRevoked e) => RemoveGrant(e.UserId, e.FeatureCode);

    public void Apply(GrantLapsed e) => RemoveGrant(e.UserId, e.FeatureCode);

    private void RemoveRole(Guid userId, Guid roleId)
    {
        UserId = userId;
        Roles.RemoveAll(r => r.RoleId == roleId);
        Changed();
    }

    private void RemoveGrant(Guid userId, string featureCode)
    {
        UserId = userId;
        Grants.RemoveAll(g => g.FeatureCode == featureCode);
        Changed();
    }

    private void Changed() =>
        NextLapse = Roles.Select(r => r.ValidUntil).Concat(Grants.Select(g => g.ValidUntil)).Min();
}
