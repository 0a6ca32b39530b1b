using System.Globalization;
using System.Text;
using OrderStream.BuildingBlocks.Contracts;
using OrderStream.BuildingBlocks.Events;
using Contracts = OrderStream.Modules.Identity.Contracts;

namespace OrderStream.Modules.Identity.Users;

internal enum BackOfficeUserType
{
    BusinessGroupManager,
    ProductionCoordinator,
    AccountExecutive,
    OnlineStoreAdministrator,
}

internal enum OsaAccessMode
{
    FullStoreAccess,
    ReportsOnly,
}

internal sealed record Contact(
    string? Phone,
    string? Mobile,
    IReadOnlyList<string>? AddressLines,
    string? PostalCode,
    string? City,
    string? Country
);

internal sealed record StatusChange(DateTimeOffset At, bool Active, string? Reason, string By);

/// <summary>A user's back-office profile: which fields apply depends on the type (seed 000).</summary>
internal sealed record Profile(
    BackOfficeUserType? Type,
    string? SalespersonId,
    Guid? OnlineStoreId,
    OsaAccessMode? AccessMode,
    IReadOnlyList<string> ReportCodes
)
{
    public static readonly Profile None = new(null, null, null, null, []);
}

// The events of a user's stream. Credentials never appear in events (they would show in the audit log); only the fact
// that they changed does.
internal sealed record UserRegistered(
    Guid UserId,
    DateTimeOffset At,
    string By,
    string FirstName,
    string LastName,
    string? Email,
    string LoginCode,
    string Language,
    Contact Contact,
    bool AllowLogin,
    bool IsSystemAdministrator,
    Profile Profile
) : IHasIntegrationEvent
{
    public IIntegrationEvent ToIntegrationEvent(EventMeta m) =>
        new Contracts.UserCreated(
            m.EventId,
            m.Tenant,
            At,
            UserId.ToString(),
            User.EmployeeName(FirstName, LastName),
            Profile.Type?.ToString(),
            true
        );
}

internal sealed record UserRenamed(
    Guid UserId,
    DateTimeOffset At,
    string FirstName,
    string LastName,
    string PreviousFirstName,
    string PreviousLastName
) : IHasIntegrationEvent
{
    public IIntegrationEvent ToIntegrationEvent(EventMeta m) =>
        new Contracts.UserRenamed(
            m.EventId,
            m.Tenant,
            At,
            UserId.ToString(),
            User.EmployeeName(FirstName, LastName),
            User.EmployeeName(PreviousFirstName, PreviousLastName)
        );
}

internal sealed record UserProfileChanged(
    Guid UserId,
    DateTimeOffset At,
    string EmployeeName,
    Profile Profile,
    Profile Previous
) : IHasIntegrationEvent
{
    public IIntegrationEvent? ToIntegrationEvent(EventMeta m) =>
        Profile.Type == Previous.Type
            ? null
            : new Contracts.UserTypeChanged(
                m.EventId,
                m.Tenant,
                At,
                UserId.ToString(),
                EmployeeName,
                Profile.Type?.ToString(),
                Previous.Type?.ToString()
            );
}

internal sealed record UserDetailsChanged(
    Guid UserId,
    DateTimeOffset At,
    string? Email,
    string LoginCode,
    string Language,
    Contact Contact,
    bool AllowLogin
);

internal sealed record CounterpartLinked(Guid UserId, Guid CounterpartId, DateTimeOffset At);

internal sealed record CounterpartUnlinked(Guid UserId, Guid CounterpartId, DateTimeOffset At);

internal sealed record PasswordChanged(Guid UserId, DateTimeOffset At);

internal sealed record PasswordResetLinkSent(Guid UserId, DateTimeOffset At, string To);

/// <summary>The user's tokens issued so far no longer work (their password changed): <c>Why</c> says how.</summary>
internal sealed record SessionsEnded(Guid UserId, DateTimeOffset At, string Why);

internal sealed record PinChanged(Guid UserId, DateTimeOffset At);

internal sealed record SystemAdministratorFlagChanged(Guid UserId, DateTimeOffset At, bool Value);

internal sealed record UserDeactivated(Guid UserId, DateTimeOffset At, string By, string? Reason, string EmployeeName)
    : IHasIntegrationEvent
{
    public IIntegrationEvent ToIntegrationEvent(EventMeta m) =>
        new Contracts.UserDeactivated(m.EventId, m.Tenant, At, UserId.ToString(), EmployeeName, Reason);
}

internal sealed record UserReactivated(Guid UserId, DateTimeOffset At, string By, string? Reason, string EmployeeName)
    : IHasIntegrationEvent
{
    public IIntegrationEvent ToIntegrationEvent(EventMeta m) =>
        new Contracts.UserReactivated(m.EventId, m.Tenant, At, UserId.ToString(), EmployeeName, Reason);
}

/// <summary>
/// A user: an event stream, and this snapshot of it kept inline in the same transaction (ADR 0003). The lower-case keys
/// exist for the unique indexes; the list reads <see cref="UserListEntry"/>.
/// </summary>
internal sealed class User
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public string? Email { get; set; }
    public string LoginCode { get; set; } = "";
    public string Language { get; set; } = "en";
    public Contact Contact { get; set; } = new(null, null, null, null, null, null);
    public bool AllowLogin { get; set; }
    public bool IsActive { get; set; }
    public bool IsSystemAdministrator { get; set; }
    public Profile Profile { get; set; } = Profile.None;
    public List<Guid> CounterpartIds { get; set; } = [];
    public bool HasPassword { get; set; }

    /// <summary>Tokens carry the generation they were issued in; one older than this no longer works.</summary>
    public int TokenGeneration { get; set; }
    public bool HasPin { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastStatusChangeAt { get; set; }
    public List<StatusChange> StatusHistory { get; set; } = [];

    public string? EmailKey { get; set; }
    public string LoginKey { get; set; } = "";
    public string? SalespersonKey { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public BackOfficeUserType? Type => Profile.Type;

    [System.Text.Json.Serialization.JsonIgnore]
    public bool NeedsAssignment => NeedsCounterpart(IsActive, Type, CounterpartIds.Count);

    /// <summary>Who may set the flag and, until the Roles module decides, who holds every feature (ADR 0007).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsActiveSystemAdministrator => IsActive && IsSystemAdministrator;

    public string EmployeeName() => EmployeeName(FirstName, LastName);

    public static string EmployeeName(string first, string last) => $"{first} {last}".Trim();

    public static User Create(UserRegistered e)
    {
        var user = new User
        {
            Id = e.UserId,
            IsSystemAdministrator = e.IsSystemAdministrator,
            IsActive = true,
            CreatedAt = e.At,
            LastStatusChangeAt = e.At,
            FirstName = e.FirstName,
            LastName = e.LastName,
            Profile = e.Profile,
        };
        user.StatusHistory.Add(new StatusChange(e.At, true, "created", e.By));
        user.Apply(new UserDetailsChanged(e.UserId, e.At, e.Email, e.LoginCode, e.Language, e.Contact, e.AllowLogin));
        return user;
    }

    public void Apply(UserRenamed e)
    {
        FirstName = e.FirstName;
        LastName = e.LastName;
        Refresh();
    }

    public void Apply(UserDetailsChanged e)
    {
        (Email, LoginCode, Language, Contact, AllowLogin) = (e.Email, e.LoginCode, e.Language, e.Contact, e.AllowLogin);
        Refresh();
    }

    public void Apply(UserProfileChanged e)
    {
        Profile = e.Profile;
        Refresh();
    }

    public void Apply(CounterpartLinked e)
    {
        if (!CounterpartIds.Contains(e.CounterpartId))
            CounterpartIds.Add(e.CounterpartId);
        Refresh();
    }

    public void Apply(CounterpartUnlinked e)
    {
        CounterpartIds.Remove(e.CounterpartId);
        Refresh();
    }

    public void Apply(PasswordChanged _) => HasPassword = true;

    public void Apply(SessionsEnded _) => TokenGeneration++;

    public void Apply(PinChanged _) => HasPin = true;

    public void Apply(SystemAdministratorFlagChanged e) => IsSystemAdministrator = e.Value;

    public void Apply(UserDeactivated e) => ChangeStatus(false, e.At, e.Reason, e.By);

    public void Apply(UserReactivated e) => ChangeStatus(true, e.At, e.Reason, e.By);

    private void ChangeStatus(bool active, DateTimeOffset at, string? reason, string by)
    {
        IsActive = active;
        LastStatusChangeAt = at;
        StatusHistory.Add(new StatusChange(at, active, reason, by));
        Refresh();
    }

    private void Refresh()
    {
        EmailKey = Email is null ? null : Email.Trim().ToLowerInvariant();
        LoginKey = LoginCode.Trim().ToLowerInvariant();
        SalespersonKey = Profile.SalespersonId is null ? null : Profile.SalespersonId.Trim().ToLowerInvariant();
    }

    /// <summary>An active PC or AE without any counterpart (ADR 0006).</summary>
    public static bool NeedsCounterpart(bool active, BackOfficeUserType? type, int counterparts) =>
        active
        && type is BackOfficeUserType.ProductionCoordinator or BackOfficeUserType.AccountExecutive
        && counterparts == 0;

    /// <summary>Lower case, accents removed, white space collapsed: what search and sorting compare.</summary>
    public static string SearchKey(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
                continue;
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }
            if (space)
                builder.Append(' ');
            space = false;
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }
}
