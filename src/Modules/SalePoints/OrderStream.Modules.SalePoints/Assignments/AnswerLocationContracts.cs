using OrderStream.BuildingBlocks.Persistence;
using OrderStream.BuildingBlocks.TimeBoxes;
using OrderStream.Modules.Roles.Contracts;
using OrderStream.Modules.SalePoints.Contracts;
using OrderStream.Modules.SalePoints.Locations;

namespace OrderStream.Modules.SalePoints.Assignments;

/// <summary>What this module tells others in-process (published contracts), from its own records.</summary>
internal sealed class AnswerLocationContracts(IQuerySession session, IMediator mediator, TimeProvider clock)
    : IRequestHandler<GetLocations, IReadOnlyList<LocationFacts>>,
        IRequestHandler<GetUserLocations, IReadOnlyList<UserLocationFacts>>,
        IRequestHandler<GetPosAccess, PosAccess>
{
    public const string PosLoginFeature = SecureFeatureCodes.PosLogin;

    public async Task<IReadOnlyList<LocationFacts>> Handle(GetLocations q, CancellationToken ct)
    {
        var now = await session.Query<Location>().ToListAsync(ct);
        // Locations are never deleted: the past ones are today's, each folded from its own stream (an indexed read, not
        // a scan).
        var locations = q.AsOf is { } asOf
            ? [.. (await StreamHistory.AsOfAsync<Location>(session, now.Select(l => l.Id).ToList(), asOf, ct)).Values]
            : now;
        return locations
            .Select(l => new LocationFacts(l.Id, l.Kind == LocationKind.Store, l.Code, l.Name, l.IsActive))
            .ToList();
    }

    public async Task<IReadOnlyList<UserLocationFacts>> Handle(GetUserLocations q, CancellationToken ct)
    {
        IReadOnlyCollection<UserLocations> records =
            q.AsOf is { } asOf
                ? (
                    await StreamHistory.AsOfAsync<UserLocations>(
                        session,
                        q.UserIds?.Select(LocationStreams.OfUser).ToList(),
                        asOf,
                        ct
                    )
                ).Values
            : q.UserIds is null ? await session.Query<UserLocations>().ToListAsync(ct)
            : q.UserIds.Count == 0 ? []
            : await session.LoadManyAsync<UserLocations>(ct, q.UserIds.Select(LocationStreams.OfUser));
        return records
            .Select(r => new UserLocationFacts(
                r.UserId,
                r.State.SalePoints.Select(s => new SalePointRole(
                        s.SalePointId,
                        s.RoleId,
                        s.ValidFrom,
                        s.ValidUntil,
                        s.GivenAt,
                        s.GivenBy
                    ))
                    .ToList(),
                r.State.StoreIds,
                r.State.DefaultStoreId
            ))
            .ToList();
    }

    /// <summary>
    /// The sale point's part of a POS login: it exists, it is active, the user is assigned there, their role there lets
    /// them log in.
    /// </summary>
    public async Task<PosAccess> Handle(GetPosAccess q, CancellationToken ct)
    {
        var salePoint = await session.LoadAsync<Location>(q.SalePointId, ct);
        if (salePoint is null || salePoint.Kind != LocationKind.SalePoint)
            return new PosAccess("There is no such sale point.", false, null, null, null, null);
        var name = $"{salePoint.Code} ({salePoint.Name})";
        var state = (await session.LoadAsync<UserLocations>(LocationStreams.OfUser(q.UserId), ct))?.State
            ?? LocationsState.Empty;
        if (state.SalePoints.FirstOrDefault(s => s.SalePointId == salePoint.Id) is not { } assignment)
            return new PosAccess(
                $"You are not assigned to sale point {name}.",
                true,
                name,
                null,
                null,
                state.DefaultStoreId
            );
        if (Validity.WhyNot(assignment.ValidFrom, assignment.ValidUntil, clock.GetUtcNow()) is { } notNow)
            return new PosAccess(
                $"Your assignment to sale point {name} {notNow}.",
                true,
                name,
                assignment.RoleId,
                null,
                state.DefaultStoreId
            );
        if (!salePoint.IsActive)
            return new PosAccess(
                $"Sale point {name} is inactive: nobody can log in there until it is reactivated.",
                true,
                name,
                assignment.RoleId,
                null,
                state.DefaultStoreId
            );
        var role = await mediator.Send(new DescribeRole(assignment.RoleId, null), ct);
        var decision = await mediator.Send(new DecideAccess(q.UserId, PosLoginFeature, salePoint.Id), ct);
        return new PosAccess(
            decision.Allowed ? null : $"You may not log in to the POS at sale point {name}: {decision.Why}",
            true,
            name,
            assignment.RoleId,
            role?.Name,
            state.DefaultStoreId
        );
    }
}
