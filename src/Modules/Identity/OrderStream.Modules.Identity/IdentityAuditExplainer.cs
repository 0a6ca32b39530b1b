using System.Text.Json;
using OrderStream.BuildingBlocks.Audit;
using OrderStream.BuildingBlocks.TimeBoxes;
using OrderStream.Modules.Identity.Users;

namespace OrderStream.Modules.Identity;

/// <summary>
/// The Identity module's events in words for the audit log and users' histories (issue #6). Credentials never appear.
/// </summary>
internal sealed class IdentityAuditExplainer : IAuditExplainer
{
    public string? Explain(string type, JsonElement d) =>
        type switch
        {
            "user_registered" => $"User '{Name(d, "FirstName", "LastName")}' created (login code {d.Text("LoginCode")}"
                + $"{(d.TryGetProperty("Profile", out var p) && p.Text("Type") is { } t ? $", {t}" : "")}).",
            "user_renamed" =>
                $"Name '{Name(d, "PreviousFirstName", "PreviousLastName")}' → '{Name(d, "FirstName", "LastName")}'.",
            "user_profile_changed" => Profile(d),
            "user_details_changed" =>
                $"Details changed (e-mail {d.Text("Email") ?? "none"}, login code {d.Text("LoginCode")}, language "
                    + $"{d.Text("Language")}, "
                    + $"web login {(d.Flag("AllowLogin") ? "allowed" : "not allowed")}).",
            "counterpart_linked" => $"Linked to user {d.Text("CounterpartId")}.",
            "counterpart_unlinked" => $"Unlinked from user {d.Text("CounterpartId")}.",
            "password_changed" => "Password changed.",
            "password_reset_link_sent" => $"A link to set the password was sent to {d.Text("To")}.",
            "sessions_ended" => $"Sessions ended ({d.Text("Why")}): tokens issued before no longer work.",
            "pin_changed" => "PIN changed.",
            "system_administrator_flag_changed" =>
                $"System Administrator flag {(d.Flag("Value") ? "off → on" : "on → off")}.",
            "user_deactivated" => $"Active → inactive{Reason(d)}.",
            "user_reactivated" => $"Inactive → active{Reason(d)}.",
            "login_succeeded" => $"Logged in ({d.Text("Channel")}){From(d)}.",
            "login_failed" =>
                $"Login failed ({d.Text("Channel")}){From(d)}, {d.Number("ConsecutiveFailures")} in a row{Unknown(d)}.",
            "login_locked_out" => $"Locked out after failed logins ({d.Text("Channel")}) until "
                + $"{(d.Instant("Until") is { } u ? Validity.Text(u) : "?")}"
                + $"{Unknown(d)}.",
            "login_refused" => $"Login refused ({d.Text("Channel")}){From(d)}: {d.Text("Reason")}",
            "online_store_created" => $"Online store '{d.Text("Name")}' ({d.Text("Code")}) created.",
            "online_store_renamed" => $"Online store renamed to '{d.Text("Name")}' ({d.Text("Code")}).",
            _ => null,
        };

    private static string Name(JsonElement d, string first, string last) =>
        User.EmployeeName(d.Text(first) ?? "", d.Text(last) ?? "");

    private static string From(JsonElement d) => d.Text("Address") is { } address ? $" from {address}" : "";

    private static string Unknown(JsonElement d) =>
        d.Text("UserId") == Guid.Empty.ToString() ? ", for a login code no user has" : "";

    private static string Reason(JsonElement d) => d.Text("Reason") is { Length: > 0 } why ? $" ({why})" : "";

    private static string Profile(JsonElement d)
    {
        string? Type(string name) =>
            d.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Object ? p.Text("Type") : null;
        var (before, after) = (Type("Previous"), Type("Profile"));
        return before == after
            ? $"Back-office profile changed ({after ?? "no type"})."
            : $"Back-office type {before ?? "none"} → {after ?? "none"}.";
    }
}

/// <summary>Actors' names for the audit log, as the users are called now.</summary>
internal sealed class IdentityAuditNames(IQuerySession session) : IAuditNames
{
    public async Task<IReadOnlyDictionary<Guid, string>> NamesAsync(
        IReadOnlyCollection<Guid> userIds,
        CancellationToken ct
    )
    {
        if (userIds.Count == 0)
            return new Dictionary<Guid, string>();
        var ids = userIds.ToArray();
        var users = await session
            .Query<User>()
            .Where(u => ids.Contains(u.Id))
            .Select(u => new
            {
                u.Id,
                u.FirstName,
                u.LastName,
            })
            .ToListAsync(ct);
        return users.ToDictionary(u => u.Id, u => User.EmployeeName(u.FirstName, u.LastName));
    }
}
