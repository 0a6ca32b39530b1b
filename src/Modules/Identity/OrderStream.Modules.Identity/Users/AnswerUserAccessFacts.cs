using OrderStream.Modules.Identity.Contracts;

namespace OrderStream.Modules.Identity.Users;

/// <summary>Identity's answer to the published <see cref="GetUserAccessFacts"/> query (the Roles module decides with it).</summary>
internal sealed class AnswerUserAccessFacts(IQuerySession session) : IRequestHandler<GetUserAccessFacts, IReadOnlyList<UserAccessFacts>>
{
    public async Task<IReadOnlyList<UserAccessFacts>> Handle(GetUserAccessFacts query, CancellationToken ct)
    {
        var users = query.UserIds is null
            ? await session.Query<User>().ToListAsync(ct)
            : await session.LoadManyAsync<User>(ct, query.UserIds);
        return users.Select(u => new UserAccessFacts(u.Id, u.EmployeeName(), u.IsActive, u.IsSystemAdministrator, u.Type?.ToString(),
            u.CounterpartIds, u.Profile.OnlineStoreId, u.Profile.AccessMode?.ToString(), u.Profile.ReportCodes)).ToList();
    }
}
