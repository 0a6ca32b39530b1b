using OrderStream.BuildingBlocks.Persistence;
using OrderStream.Modules.Identity.Contracts;

namespace OrderStream.Modules.Identity.Users;

/// <summary>Identity's answer to the published <see cref="GetUserAccessFacts"/> query (the Roles module decides with it).</summary>
internal sealed class AnswerUserAccessFacts(IQuerySession session) : IRequestHandler<GetUserAccessFacts, IReadOnlyList<UserAccessFacts>>
{
    public async Task<IReadOnlyList<UserAccessFacts>> Handle(GetUserAccessFacts query, CancellationToken ct)
    {
        if (query.AsOf is { } asOf)
        {
            var then = await StreamHistory.AsOfAsync<User>(session, query.UserIds, asOf, ct);
            return then.Values.Select(u => new UserAccessFacts(u.Id, u.EmployeeName(), u.IsActive, u.IsSystemAdministrator, u.Type?.ToString(),
                [.. u.CounterpartIds], u.Profile.OnlineStoreId, u.Profile.AccessMode?.ToString(), u.Profile.ReportCodes ?? [])).ToList();
        }
        // Only the fields asked for leave the database: a whole tenant's users (20,000 and more) load at every engine start.
        IQueryable<User> users = session.Query<User>();
        if (query.UserIds is { } ids) users = users.Where(u => ids.Contains(u.Id));
        var rows = await users.Select(u => new Row(u.Id, u.FirstName, u.LastName, u.IsActive, u.IsSystemAdministrator, u.Profile.Type,
            u.CounterpartIds, u.Profile.OnlineStoreId, u.Profile.AccessMode, u.Profile.ReportCodes)).ToListAsync(ct);
        return rows.Select(u => new UserAccessFacts(u.Id, User.EmployeeName(u.FirstName, u.LastName), u.IsActive, u.IsSystemAdministrator,
            u.Type?.ToString(), u.CounterpartIds, u.OnlineStoreId, u.AccessMode?.ToString(), u.ReportCodes ?? [])).ToList();
    }

    private sealed record Row(Guid Id, string FirstName, string LastName, bool IsActive, bool IsSystemAdministrator, BackOfficeUserType? Type,
        IReadOnlyList<Guid> CounterpartIds, Guid? OnlineStoreId, OsaAccessMode? AccessMode, IReadOnlyList<string>? ReportCodes);
}
