using MediatR;

namespace OrderStream.Modules.Roles.Contracts;

/// <summary>
/// A role as other modules may name it. With <c>GranterId</c>, also whether that user may give it (every feature of the
/// role passes the tier rules for them): when not, the Roles module answers with a 403 that names the rule. Null: no
/// such role.
/// </summary>
public sealed record DescribeRole(Guid RoleId, Guid? GranterId) : IRequest<RoleFacts?>;

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
/// Gives and takes a user's tenant-wide roles inside the sender's transaction (bulk changes), by the rules of giving
/// one: the caller's right to manage roles, the tier rules, "grant only what you hold". Giving a role the user holds
/// with the same window, or taking one they do not hold, changes nothing. <c>UserChecked</c>: Identity, which owns
/// users, has just read the user or is creating them in the same transaction, so it need not be looked up again.
/// Answers what changed, in words.
/// </summary>
public sealed record ChangeUserRoles(
    Guid UserId,
    bool UserChecked,
    IReadOnlyList<RoleToGive> Give,
    IReadOnlyList<Guid> Take
) : IRequest<IReadOnlyList<string>>;

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
