using OrderStream.Client;

namespace OrderStream.AdminConsole.Users;

/// <summary>
/// What the user form shows and what the administrator changed: the fields, roles, sale points (with the role at
/// each) and stores as loaded, and as edited. <see cref="ToRequest"/> says the difference as one save.
/// </summary>
public sealed class UserFormState
{
    public sealed class Fields
    {
        public string FirstName { get; set; } = "";
        public string LastName { get; set; } = "";
        public string? Email { get; set; }
        public string LoginCode { get; set; } = "";
        public string Language { get; set; } = "en";
        public string? Phone { get; set; }
        public bool AllowLogin { get; set; } = true;
        public bool IsActive { get; set; } = true;
        public bool IsSystemAdministrator { get; set; }
        public string Type { get; set; } = "";

        public Fields Copy() => (Fields)MemberwiseClone();

        public bool SameAs(Fields o) =>
            (FirstName, LastName, Email ?? "", LoginCode, Language, Phone ?? "", AllowLogin, IsActive)
                == (
                    o.FirstName,
                    o.LastName,
                    o.Email ?? "",
                    o.LoginCode,
                    o.Language,
                    o.Phone ?? "",
                    o.AllowLogin,
                    o.IsActive
                )
            && (IsSystemAdministrator, Type) == (o.IsSystemAdministrator, o.Type);
    }

    private UserResponse _user = null!;
    private Fields _loaded = new();
    private HashSet<string> _loadedRoles = [];
    private Dictionary<string, string> _loadedSalePoints = [];
    private HashSet<string> _loadedStores = [];
    private string? _loadedDefaultStore;

    public Fields Edited { get; private set; } = new();
    public HashSet<string> Roles { get; private set; } = [];

    /// <summary>Sale point id → the id of the user's role there.</summary>
    public Dictionary<string, string> SalePoints { get; private set; } = [];

    public HashSet<string> Stores { get; private set; } = [];
    public string? DefaultStore { get; set; }
    public string? Pin { get; set; }
    public string? Reason { get; set; }

    public string IfMatch => AdminConsole.IfMatch.Of(_user.Version);
    public UserResponse User => _user;

    public static UserFormState From(UserResponse user, UserAccessResponse access, UserLocationsResponse locations)
    {
        var state = new UserFormState { _user = user };
        state._loaded = new Fields
        {
            FirstName = user.FirstName,
            LastName = user.LastName,
            Email = user.Email,
            LoginCode = user.LoginCode,
            Language = user.Language,
            Phone = user.Contact?.Phone,
            AllowLogin = user.AllowLogin,
            IsActive = user.IsActive,
            IsSystemAdministrator = user.IsSystemAdministrator,
            Type = user.Type?.ToString() ?? "",
        };
        state._loadedRoles = access.Roles.Select(r => r.RoleId.ToString()).ToHashSet();
        state._loadedSalePoints = locations.SalePoints.ToDictionary(s => s.SalePointId, s => s.RoleId);
        state._loadedStores = locations.Stores.Select(s => s.StoreId).ToHashSet();
        state._loadedDefaultStore = locations.DefaultStoreId;
        state.Reset();
        return state;
    }

    /// <summary>Back to what was loaded: every change dropped.</summary>
    public void Reset()
    {
        Edited = _loaded.Copy();
        Roles = [.. _loadedRoles];
        SalePoints = new Dictionary<string, string>(_loadedSalePoints);
        Stores = [.. _loadedStores];
        DefaultStore = _loadedDefaultStore;
        (Pin, Reason) = (null, null);
    }

    public bool IsDirty =>
        !Edited.SameAs(_loaded)
        || !Roles.SetEquals(_loadedRoles)
        || SalePoints.Count != _loadedSalePoints.Count
        || SalePoints.Any(s => _loadedSalePoints.GetValueOrDefault(s.Key) != s.Value)
        || !Stores.SetEquals(_loadedStores)
        || DefaultStore != _loadedDefaultStore
        || !string.IsNullOrEmpty(Pin);

    /// <summary>Whether saving would deactivate or reactivate the user (a reason goes with it).</summary>
    public bool ChangesStatus => Edited.IsActive != _loaded.IsActive;

    /// <summary>
    /// Whether saving would take from the signed-in user their own way in: deactivating themselves, forbidding their
    /// own login, or giving up their own System Administrator flag.
    /// </summary>
    public bool LocksOut(string signedInUserId) =>
        _user.Id == signedInUserId
        && (
            (_loaded.IsActive && !Edited.IsActive)
            || (_loaded.AllowLogin && !Edited.AllowLogin)
            || (_loaded.IsSystemAdministrator && !Edited.IsSystemAdministrator)
        );

    public void RemoveStore(string id)
    {
        Stores.Remove(id);
        if (DefaultStore == id)
            DefaultStore = null;
    }

    /// <summary>The whole form as one save: the fields as they stand, the rest as differences.</summary>
    public SaveUserFormRequest ToRequest()
    {
        var changedRole = SalePoints
            .Where(s => _loadedSalePoints.TryGetValue(s.Key, out var role) && role != s.Value)
            .Select(s => s.Key)
            .ToHashSet();
        return new SaveUserFormRequest
        {
            FirstName = Edited.FirstName.Trim(),
            LastName = Edited.LastName.Trim(),
            Email = string.IsNullOrWhiteSpace(Edited.Email) ? null : Edited.Email.Trim(),
            LoginCode = Edited.LoginCode.Trim(),
            Language = Edited.Language,
            Contact = Contact(),
            Pin = string.IsNullOrEmpty(Pin) ? null : Pin,
            AllowLogin = Edited.AllowLogin,
            Type = Enum.TryParse<BackOfficeUserType>(Edited.Type, out var type) ? type : null,
            AccountExecutiveIds = _user.AccountExecutiveIds,
            ProductionCoordinatorIds = _user.ProductionCoordinatorIds,
            SalespersonId = _user.SalespersonId,
            OnlineStoreId = _user.OnlineStoreId,
            AccessMode = _user.AccessMode,
            ReportCodes = _user.ReportCodes,
            IsActive = Edited.IsActive,
            Reason = ChangesStatus && !string.IsNullOrWhiteSpace(Reason) ? Reason.Trim() : null,
            IsSystemAdministrator = Edited.IsSystemAdministrator,
            AssignRoles = Roles.Except(_loadedRoles).Select(Guid.Parse).ToList(),
            RemoveRoles = _loadedRoles.Except(Roles).Select(Guid.Parse).ToList(),
            // A role changed at a sale point is the sale point removed and added again with the new role.
            RemoveSalePoints = _loadedSalePoints
                .Keys.Where(id => !SalePoints.ContainsKey(id) || changedRole.Contains(id))
                .Select(Guid.Parse)
                .ToList(),
            AddSalePoints = SalePoints
                .Where(s => !_loadedSalePoints.ContainsKey(s.Key) || changedRole.Contains(s.Key))
                .Select(s => new SaveUserFormSalePointBody
                {
                    SalePointId = Guid.Parse(s.Key),
                    RoleId = Guid.Parse(s.Value),
                })
                .ToList(),
            AddStores = Stores.Except(_loadedStores).Select(Guid.Parse).ToList(),
            RemoveStores = _loadedStores.Except(Stores).Select(Guid.Parse).ToList(),
            DefaultStoreId =
                DefaultStore != _loadedDefaultStore && DefaultStore is { } store ? Guid.Parse(store) : null,
        };
    }

    // The phone as edited; the rest of the contact details as they were (the form does not show them yet).
    private ContactBody? Contact()
    {
        var contact = _user.Contact;
        var phone = string.IsNullOrWhiteSpace(Edited.Phone) ? null : Edited.Phone.Trim();
        if (phone is null && contact is null)
            return null;
        return new ContactBody
        {
            Phone = phone,
            Mobile = contact?.Mobile,
            AddressLines = contact?.AddressLines,
            PostalCode = contact?.PostalCode,
            City = contact?.City,
            Country = contact?.Country,
        };
    }
}
