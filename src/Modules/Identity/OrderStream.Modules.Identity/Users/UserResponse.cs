namespace OrderStream.Modules.Identity.Users;

/// <summary>A user as the API shows it; PC and AE links are shown on the side they belong to.</summary>
internal sealed record UserResponse(
    string Id,
    long Version,
    string FirstName,
    string LastName,
    string? Email,
    string LoginCode,
    string Language,
    Contact Contact,
    bool AllowLogin,
    bool IsActive,
    bool IsSystemAdministrator,
    BackOfficeUserType? Type,
    IReadOnlyList<string> AccountExecutiveIds,
    IReadOnlyList<string> ProductionCoordinatorIds,
    string? SalespersonId,
    string? OnlineStoreId,
    OsaAccessMode? AccessMode,
    IReadOnlyList<string> ReportCodes,
    bool NeedsAssignment,
    bool HasPassword,
    bool HasPin,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastStatusChangeAt,
    IReadOnlyList<StatusChange> StatusHistory
)
{
    /// <summary>The user as it is now, with its ETag: what every change to a user answers.</summary>
    public static async Task<IResult> CurrentAsync(
        HttpContext http,
        IQuerySession session,
        Guid id,
        CancellationToken ct
    )
    {
        var user = await session.LoadAsync<User>(id, ct) ?? throw new NotFoundException("User", id.ToString());
        return http.WithETag(user.Version, From(user));
    }

    public static UserResponse From(User u)
    {
        var links = u.CounterpartIds.Select(id => id.ToString()).ToList();
        return new UserResponse(
            u.Id.ToString(),
            u.Version,
            u.FirstName,
            u.LastName,
            u.Email,
            u.LoginCode,
            u.Language,
            u.Contact,
            u.AllowLogin,
            u.IsActive,
            u.IsSystemAdministrator,
            u.Type,
            u.Type == BackOfficeUserType.ProductionCoordinator ? links : [],
            u.Type == BackOfficeUserType.AccountExecutive ? links : [],
            u.Profile.SalespersonId,
            u.Profile.OnlineStoreId?.ToString(),
            u.Profile.AccessMode,
            u.Profile.ReportCodes,
            u.NeedsAssignment,
            u.HasPassword,
            u.HasPin,
            u.CreatedAt,
            u.LastStatusChangeAt,
            u.StatusHistory
        );
    }
}
