using System.Security.Cryptography;
using System.Text;
using MediatR;
using OrderStream.BuildingBlocks.Contracts;

namespace OrderStream.Modules.SalePoints.Contracts;

/// <summary>
/// Every sale point and store of the tenant, active or not (a tenant has hundreds, not thousands); <c>AsOf</c>: as they
/// were then.
/// </summary>
public sealed record GetLocations(DateTimeOffset? AsOf = null) : IRequest<IReadOnlyList<LocationFacts>>;

public sealed record LocationFacts(Guid Id, bool IsStore, string Code, string Name, bool IsActive);

/// <summary>
/// Users' sale points (each with the role held there) and stores; <c>UserIds</c> null means every user with any;
/// <c>AsOf</c>: as they were at that instant, rebuilt from the users' events.
/// </summary>
public sealed record GetUserLocations(IReadOnlyList<Guid>? UserIds, DateTimeOffset? AsOf = null)
    : IRequest<IReadOnlyList<UserLocationFacts>>;

public sealed record UserLocationFacts(
    Guid UserId,
    IReadOnlyList<SalePointRole> SalePoints,
    IReadOnlyList<Guid> StoreIds,
    Guid? DefaultStoreId
);

/// <summary>
/// A sale point with the role there; a time-boxed assignment applies from <c>ValidFrom</c> until <c>ValidUntil</c>
/// only; <c>GivenAt</c>/<c>GivenBy</c>: when and by whom (an actor id) it was given.
/// </summary>
public sealed record SalePointRole(
    Guid SalePointId,
    Guid RoleId,
    DateTimeOffset? ValidFrom = null,
    DateTimeOffset? ValidUntil = null,
    DateTimeOffset? GivenAt = null,
    string? GivenBy = null
);

/// <summary>
/// May the user log in to the POS at the sale point? Answered by Sale Points (assignment, sale point status, the role
/// there and its right to log in); Identity checks the user and the PIN. <c>Refusal</c> null means yes.
/// </summary>
public sealed record GetPosAccess(Guid UserId, Guid SalePointId) : IRequest<PosAccess>;

public sealed record PosAccess(
    string? Refusal,
    bool SalePointExists,
    string? SalePointName,
    Guid? RoleId,
    string? RoleName,
    Guid? DefaultStoreId
);

/// <summary>
/// Changes a user's sale points and stores inside the sender's transaction (bulk changes), by the rules of the single
/// changes: the caller's right to manage users' locations, a sale point added with a role the caller may give, one the
/// user already has with another role is a conflict, the default store cannot be removed. Adding what the user has
/// (with the same window) or removing what they do not have changes nothing. <c>UserChecked</c>: Identity, which owns
/// users, has just read the user or is creating them in the same transaction, so it need not be looked up again.
/// <c>DefaultStoreId</c> (one of the user's stores once the stores are added) is set before stores are removed, so
/// the old default can go in the same change. Answers what changed, in words.
/// </summary>
public sealed record ChangeUserLocations(
    Guid UserId,
    bool UserChecked,
    IReadOnlyList<SalePointToAdd> AddSalePoints,
    IReadOnlyList<Guid> RemoveSalePoints,
    IReadOnlyList<Guid> AddStores,
    IReadOnlyList<Guid> RemoveStores,
    Guid? DefaultStoreId = null
) : IRequest<IReadOnlyList<string>>
{
    /// <summary>Every sale point created from now on is added with this role (seed 002: "future ones too").</summary>
    public Guid? FutureSalePointsRoleId { get; init; }

    /// <summary>Sale points created from now on are no longer added.</summary>
    public bool StopFutureSalePoints { get; init; }

    /// <summary>Whether every store created from now on is added. Null: unchanged.</summary>
    public bool? FutureStores { get; init; }
}

/// <summary>A sale point to add with the user's role there, optionally time-boxed.</summary>
public sealed record SalePointToAdd(
    Guid SalePointId,
    Guid RoleId,
    DateTimeOffset? ValidFrom = null,
    DateTimeOffset? ValidUntil = null
);

public static class LocationStreams
{
    /// <summary>
    /// The stream of one user's sale points and stores; published so that caches of decisions know what a commit
    /// touched.
    /// </summary>
    public static Guid OfUser(Guid userId) => new(MD5.HashData(Encoding.UTF8.GetBytes("user-locations:" + userId)));
}

/// <summary>A user's sale points and stores after a change (all of them, active or not).</summary>
public sealed record UserLocationsChanged(
    Guid EventId,
    string Tenant,
    DateTimeOffset OccurredAt,
    string UserId,
    IReadOnlyList<string> SalePointIds,
    IReadOnlyList<string> StoreIds
) : IIntegrationEvent;

/// <summary>
/// A sale point or store created or edited (code, name). Kind is "SalePoint" or "Store" when created, empty on an edit
/// (it never changes).
/// </summary>
public sealed record LocationUpdated(
    Guid EventId,
    string Tenant,
    DateTimeOffset OccurredAt,
    string Id,
    string Kind,
    string Code,
    string Name
) : IIntegrationEvent;

/// <summary>A sale point or store deactivated or reactivated (its assignments are kept either way).</summary>
public sealed record LocationStatusChanged(
    Guid EventId,
    string Tenant,
    DateTimeOffset OccurredAt,
    string Id,
    bool IsActive
) : IIntegrationEvent;
