using MediatR;

namespace OrderStream.Modules.Roles.Contracts;

/// <summary>
/// A role as other modules may name it. With <c>GranterId</c>, also whether that user may give it (every feature of the
/// role passes the tier rules for them): when not, the Roles module answers with a 403 that names the rule. Null: no such role.
/// </summary>
public sealed record DescribeRole(Guid RoleId, Guid? GranterId) : IRequest<RoleFacts?>;

public sealed record RoleFacts(Guid RoleId, string Name);

/// <summary>"May this user use this feature here?" for other modules (e.g. logging in to the POS at a sale point).</summary>
public sealed record DecideAccess(Guid UserId, string Feature, Guid? SalePointId) : IRequest<AccessAnswer>;

/// <summary>Why: the first reason of the decision, in words for the user.</summary>
public sealed record AccessAnswer(bool Allowed, string Why);
