using MediatR;

namespace OrderStream.Modules.Identity.Contracts;

/// <summary>
/// What other modules may know of users to decide about them: status, the System Administrator flag, the back-office
/// type and its data-scope links. Answered by Identity from its own records; <c>UserIds</c> null means every user of
/// the tenant; <c>AsOf</c>: the facts as they were at that instant, rebuilt from the users' events (a user created
/// later is left out).
/// </summary>
public sealed record GetUserAccessFacts(IReadOnlyList<Guid>? UserIds, DateTimeOffset? AsOf = null)
    : IRequest<IReadOnlyList<UserAccessFacts>>;

/// <summary>
/// Type is the back-office user type's name or null; AccessMode "FullStoreAccess" or "ReportsOnly" for an OSA.
/// </summary>
public sealed record UserAccessFacts(
    Guid UserId,
    string Name,
    bool IsActive,
    bool IsSystemAdministrator,
    string? Type,
    IReadOnlyList<Guid> CounterpartIds,
    Guid? OnlineStoreId,
    string? AccessMode,
    IReadOnlyList<string> ReportCodes,
    int TokenGeneration = 0
);

/// <summary>
/// When users last logged in (web office or POS); null: never. <c>UserIds</c> null means every user who ever did.
/// </summary>
public sealed record GetLastLogins(IReadOnlyList<Guid>? UserIds) : IRequest<IReadOnlyList<UserLastLogin>>;

public sealed record UserLastLogin(Guid UserId, DateTimeOffset? LastLoginAt);
