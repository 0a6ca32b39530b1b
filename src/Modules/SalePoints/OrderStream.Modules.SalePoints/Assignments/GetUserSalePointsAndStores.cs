using OrderStream.Modules.Roles.Contracts;
using OrderStream.Modules.SalePoints.Locations;

namespace OrderStream.Modules.SalePoints.Assignments;

internal sealed record UserSalePointItem(
    string SalePointId,
    string Code,
    string Name,
    bool IsActive,
    string RoleId,
    string? RoleName,
    DateTimeOffset? ValidFrom,
    DateTimeOffset? ValidUntil
);

internal sealed record UserStoreItem(string StoreId, string Code, string Name, bool IsActive, bool IsDefault);

/// <summary>The user form's sale point and store tabs; <c>Version</c> is the ETag of writes to either.</summary>
internal sealed record UserLocationsResponse(
    string UserId,
    long Version,
    IReadOnlyList<UserSalePointItem> SalePoints,
    string? FutureSalePointsRoleId,
    string? FutureSalePointsRoleName,
    IReadOnlyList<UserStoreItem> Stores,
    bool FutureStores,
    string? DefaultStoreId
);

/// <summary>
/// A user's sale points (each with the role there and its window) and stores, with the default store (seed 002, user
/// form items 7-12): what both tabs show, and what every write of them answers.
/// </summary>
internal static class GetUserSalePointsAndStores
{
    public sealed record Query(Guid UserId) : IQuery<UserLocationsResponse>;

    internal sealed class Handler(IQuerySession session, IMediator mediator)
        : IRequestHandler<Query, UserLocationsResponse>
    {
        public async Task<UserLocationsResponse> Handle(Query q, CancellationToken ct)
        {
            var record = await session.LoadAsync<UserLocations>(Contracts.LocationStreams.OfUser(q.UserId), ct);
            if (record is null)
                await UserLocationsStore.RequireUserAsync(mediator, q.UserId, ct);
            var state = record?.State ?? LocationsState.Empty;
            var ids = state.SalePoints.Select(s => s.SalePointId).Concat(state.StoreIds).Distinct().ToArray();
            var places =
                ids.Length == 0 ? [] : (await session.LoadManyAsync<Location>(ct, ids)).ToDictionary(l => l.Id);
            var roleNames = new Dictionary<Guid, string?>();
            foreach (
                var role in state
                    .SalePoints.Select(s => s.RoleId)
                    .Append(state.FutureSalePointsRoleId ?? Guid.Empty)
                    .Distinct()
            )
                if (role != Guid.Empty)
                    roleNames[role] = (await mediator.Send(new DescribeRole(role, null), ct))?.Name;
            var salePoints = state
                .SalePoints.Where(s => places.ContainsKey(s.SalePointId))
                .Select(s => (Assignment: s, At: places[s.SalePointId]))
                .Select(x => new UserSalePointItem(
                    x.At.Id.ToString(),
                    x.At.Code,
                    x.At.Name,
                    x.At.IsActive,
                    x.Assignment.RoleId.ToString(),
                    roleNames.GetValueOrDefault(x.Assignment.RoleId),
                    x.Assignment.ValidFrom,
                    x.Assignment.ValidUntil
                ))
                .OrderBy(s => s.Code, StringComparer.OrdinalIgnoreCase)
                .ToList();
            var stores = state
                .StoreIds.Where(places.ContainsKey)
                .Select(id => places[id])
                .Select(l => new UserStoreItem(
                    l.Id.ToString(),
                    l.Code,
                    l.Name,
                    l.IsActive,
                    l.Id == state.DefaultStoreId
                ))
                .OrderBy(s => s.Code, StringComparer.OrdinalIgnoreCase)
                .ToList();
            var future = state.FutureSalePointsRoleId;
            return new UserLocationsResponse(
                q.UserId.ToString(),
                record?.Version ?? 0,
                salePoints,
                future?.ToString(),
                future is { } f ? roleNames.GetValueOrDefault(f) : null,
                stores,
                state.FutureStores,
                state.DefaultStoreId?.ToString()
            );
        }
    }

    /// <summary>
    /// The user's locations with their ETag: the answer of the read, and of each write once it is done.
    /// </summary>
    public static async Task<IResult> AnswerAsync(
        IMediator mediator,
        HttpContext http,
        Guid userId,
        CancellationToken ct
    )
    {
        var answer = await mediator.Send(new Query(userId), ct);
        return http.WithETag(answer.Version, answer);
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
        {
            app.MapGet(
                    "/api/tenants/{tenant}/users/{id:guid}/sale-points",
                    (Guid id, IMediator m, HttpContext h, CancellationToken ct) => AnswerAsync(m, h, id, ct)
                )
                .WithTags("User locations")
                .WithName("GetUserSalePoints")
                .WithSummary("Read a user's sale points")
                .WithDescription("With the role at each, and an `ETag` of the user's assignments.")
                .AnswersWithETag()
                .Produces<UserLocationsResponse>()
                .RequireFeature(SalePointsModule.SeeLocations);
            app.MapGet(
                    "/api/tenants/{tenant}/users/{id:guid}/stores",
                    (Guid id, IMediator m, HttpContext h, CancellationToken ct) => AnswerAsync(m, h, id, ct)
                )
                .WithTags("User locations")
                .WithName("GetUserStores")
                .WithSummary("Read a user's stores")
                .WithDescription("With the default store, and an `ETag` of the user's assignments.")
                .AnswersWithETag()
                .Produces<UserLocationsResponse>()
                .RequireFeature(SalePointsModule.SeeLocations);
        }
    }
}
