namespace OrderStream.Modules.Identity.Preferences;

/// <summary>
/// Each administrator's own layout of the user list: which columns, in which order (seed 002, item 5).
/// </summary>
internal sealed class UserListPreferences
{
    public static readonly string[] Columns =
    [
        "firstName",
        "lastName",
        "email",
        "loginCode",
        "type",
        "isActive",
        "language",
        "phone",
        "city",
        "needsAssignment",
        "createdAt",
    ];

    public static readonly UserListPreferences Default = new()
    {
        ColumnList = ["firstName", "lastName", "loginCode", "email", "type", "isActive"],
    };

    public Guid Id { get; set; }
    public List<string> ColumnList { get; set; } = [];
    public string SortBy { get; set; } = "lastName";
    public bool Descending { get; set; }
}

internal sealed record UserListPreferencesResponse(IReadOnlyList<string> Columns, string SortBy, bool Descending)
{
    public static UserListPreferencesResponse From(UserListPreferences p) => new(p.ColumnList, p.SortBy, p.Descending);
}
