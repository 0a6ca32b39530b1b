using MediatR;

namespace OrderStream.Modules.Roles.Contracts;

/// <summary>
/// A role as other modules may name it. With <c>GranterId</c>, also whether that user may give it (every feature of the
/// role passes the tier rules for them): when not, the Roles module answers with a 403 that names the rule. With
/// <c>HolderIds</c>, also whether those users may hold it (a role with features limited to System Administrators or
/// System Managers is only for them): when not, a 409 that names the features and the user. Null: no such role.
/// </summary>
public sealed record DescribeRole(Guid RoleId, Guid? GranterId, IReadOnlyList<Guid>? HolderIds = null)
    : IRequest<RoleFacts?>;

public sealed record RoleFacts(Guid RoleId, string Name);

/// <summary>
/// "May this user use this feature here?" for other modules (e.g. logging in to the POS at a sale point).
/// </summary>
public sealed record DecideAccess(Guid UserId, string Feature, Guid? SalePointId) : IRequest<AccessAnswer>;

/// <summary>Why: the first reason of the decision, in words for the user.</summary>
public sealed record AccessAnswer(bool Allowed, string Why);

/// <summary>
/// Every role of the tenant (hundreds at most), e.g. to find roles by the names an imported file gives.
/// </summary>
public sealed record ListRoles : IRequest<IReadOnlyList<RoleFacts>>;

/// <summary>
/// Gives and takes a user's tenant-wide roles and direct grants inside the sender's transaction (bulk changes, the user
/// form), by the rules of giving one: the caller's right to manage roles, the tier rules, "grant only what you hold",
/// type-bound features only for users of that type. Giving what the user holds with the same window, or taking what
/// they do not hold, changes nothing. <c>UserChecked</c>: Identity, which owns users, has just read the user or is
/// creating them in the same transaction, so it need not be looked up again. Answers what changed, in words.
/// </summary>
public sealed record ChangeUserRights(
    Guid UserId,
    bool UserChecked,
    IReadOnlyList<RoleToGive> Give,
    IReadOnlyList<Guid> Take
) : IRequest<IReadOnlyList<string>>
{
    /// <summary>Features given to the user directly (seed 000's rights check boxes).</summary>
    public IReadOnlyList<FeatureToGrant> Grant { get; init; } = [];

    /// <summary>Codes of direct grants taken back.</summary>
    public IReadOnlyList<string> Revoke { get; init; } = [];

    /// <summary>
    /// The user's back-office type as the sender's transaction leaves it ("" for none), when the sender changes it in
    /// the same transaction: type-bound grants are judged by it. Null: the type as committed.
    /// </summary>
    public string? UserType { get; init; }

    /// <summary>
    /// Whether the user is a System Administrator once the sender's transaction commits, when it sets the flag there:
    /// roles with features limited to System Administrators are judged by it. Null: as committed.
    /// </summary>
    public bool? IsSystemAdministrator { get; init; }
}

/// <summary>A feature to give one user directly, with its qualifier, optionally time-boxed.</summary>
public sealed record FeatureToGrant(
    string FeatureCode,
    int? Qualifier = null,
    DateTimeOffset? ValidFrom = null,
    DateTimeOffset? ValidUntil = null
);

/// <summary>A role to give, optionally time-boxed (from <c>ValidFrom</c> until <c>ValidUntil</c>).</summary>
public sealed record RoleToGive(Guid RoleId, DateTimeOffset? ValidFrom = null, DateTimeOffset? ValidUntil = null);

/// <summary>
/// Who may change whom (ADR 0019): refuses, with a 403 that names the rule and an audit entry, a change of a user who
/// holds more than the caller (a System Administrator, a System Manager, or any feature or qualifier the caller does
/// not hold, tenant-wide or at any sale point). Every slice that changes another user's credentials, status, login
/// permission, type, rights or locations sends it first. <c>What</c> names the change in the refusal ("password",
/// "status"). <c>ChangesType</c>: the change sets the user's back-office type, which decides which of their rights
/// apply, so nobody but a System Administrator sets their own.
/// </summary>
public sealed record RequireMayChangeUser(Guid UserId, string What, bool ChangesType = false) : IRequest;

/// <summary>
/// Loads the users a bulk change is about to change into the decision engine together, so that its rows' decisions do
/// not each reload one user (issue #22).
/// </summary>
public sealed record LoadUsersForDecisions(IReadOnlyList<Guid> UserIds) : IRequest;
