using OrderStream.AdminConsole.Api;

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
        public string? SalespersonId { get; set; }
        public string? OnlineStoreId { get; set; }
        public string AccessMode { get; set; } = "";

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
            && (IsSystemAdministrator, Type, SalespersonId ?? "", OnlineStoreId, AccessMode)
                == (o.IsSystemAdministrator, o.Type, o.SalespersonId ?? "", o.OnlineStoreId, o.AccessMode);
    }

    private UserResponse _user = null!;
    private Fields _loaded = new();
    private HashSet<string> _loadedRoles = [];
    private HashSet<string> _loadedRights = [];
    private HashSet<string> _loadedCounterparts = [];
    private HashSet<string> _loadedReports = [];
    private string? _loadedFutureSalePointsRole;
    private bool _loadedFutureStores;
    private Dictionary<string, string> _loadedSalePoints = [];
    private HashSet<string> _loadedStores = [];
    private string? _loadedDefaultStore;

    public Fields Edited { get; private set; } = new();
    public HashSet<string> Roles { get; private set; } = [];

    /// <summary>Codes of the features given to the user directly (the type's rights are check boxes).</summary>
    public HashSet<string> Rights { get; private set; } = [];

    /// <summary>A Production Coordinator's account executives, or an Account Executive's coordinators.</summary>
    public HashSet<string> Counterparts { get; private set; } = [];

    /// <summary>An Online Store Administrator's reports.</summary>
    public HashSet<string> Reports { get; private set; } = [];

    /// <summary>Sale point id → the id of the user's role there.</summary>
    public Dictionary<string, string> SalePoints { get; private set; } = [];

    public HashSet<string> Stores { get; private set; } = [];
    public string? DefaultStore { get; set; }

    /// <summary>The role every sale point created from now on is added with; null: none is added.</summary>
    public string? FutureSalePointsRole { get; set; }

    public bool FutureStores { get; set; }
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
            SalespersonId = user.SalespersonId,
            OnlineStoreId = user.OnlineStoreId,
            AccessMode = user.AccessMode?.ToString() ?? "",
        };
        state._loadedRights = access.Grants.Select(g => g.FeatureCode).ToHashSet();
        state._loadedCounterparts = [.. user.AccountExecutiveIds ?? [], .. user.ProductionCoordinatorIds ?? []];
        state._loadedReports = [.. user.ReportCodes ?? []];
        state._loadedFutureSalePointsRole = locations.FutureSalePointsRoleId;
        state._loadedFutureStores = locations.FutureStores;
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
        Rights = [.. _loadedRights];
        Counterparts = [.. _loadedCounterparts];
        Reports = [.. _loadedReports];
        FutureSalePointsRole = _loadedFutureSalePointsRole;
        FutureStores = _loadedFutureStores;
        SalePoints = new Dictionary<string, string>(_loadedSalePoints);
        Stores = [.. _loadedStores];
        DefaultStore = _loadedDefaultStore;
        (Pin, Reason) = (null, null);
    }

    public bool IsDirty =>
        !Edited.SameAs(_loaded)
        || !Roles.SetEquals(_loadedRoles)
        || !Rights.SetEquals(_loadedRights)
        || !Counterparts.SetEquals(_loadedCounterparts)
        || !Reports.SetEquals(_loadedReports)
        || FutureSalePointsRole != _loadedFutureSalePointsRole
        || FutureStores != _loadedFutureStores
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
    /// <summary>The save takes an active System Administrator away: deactivates them or clears their flag.</summary>
    public bool RemovesActiveAdministrator =>
        _loaded.IsActive && _loaded.IsSystemAdministrator && !(Edited.IsActive && Edited.IsSystemAdministrator);

    public bool LocksOut(string signedInUserId) =>
        _user.Id == signedInUserId
        && (
            (_loaded.IsActive && !Edited.IsActive)
            || (_loaded.AllowLogin && !Edited.AllowLogin)
            || (_loaded.IsSystemAdministrator && !Edited.IsSystemAdministrator)
        );

    /// <summary>
    /// A new back-office type: the profile of the old one goes (each profile field belongs to one type), and so do the
    /// direct grants of rights bound to other types (<paramref name="boundTo"/>: a feature code's types, if bound).
    /// </summary>
    public void ChangeType(string type, Func<string, ICollection<string>?> boundTo)
    {
        if (type == Edited.Type)
            return;
        Edited.Type = type;
        Counterparts.Clear();
        Reports.Clear();
        (Edited.SalespersonId, Edited.OnlineStoreId) = (null, null);
        Edited.AccessMode =
            type == nameof(BackOfficeUserType.OnlineStoreAdministrator) ? nameof(OsaAccessMode.FullStoreAccess) : "";
        Rights.RemoveWhere(code => boundTo(code) is { } types && !types.Contains(type));
    }

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
            Email = Trimmed(Edited.Email),
            LoginCode = Edited.LoginCode.Trim(),
            Language = Edited.Language,
            Contact = Contact(),
            Pin = string.IsNullOrEmpty(Pin) ? null : Pin,
            AllowLogin = Edited.AllowLogin,
            Type = Enum.TryParse<BackOfficeUserType>(Edited.Type, out var type) ? type : null,
            AccountExecutiveIds = Is(BackOfficeUserType.ProductionCoordinator) ? [.. Counterparts] : null,
            ProductionCoordinatorIds = Is(BackOfficeUserType.AccountExecutive) ? [.. Counterparts] : null,
            SalespersonId = Is(BackOfficeUserType.AccountExecutive) ? Trimmed(Edited.SalespersonId) : null,
            OnlineStoreId = Is(BackOfficeUserType.OnlineStoreAdministrator) ? Edited.OnlineStoreId : null,
            AccessMode =
                Is(BackOfficeUserType.OnlineStoreAdministrator)
                && Enum.TryParse<OsaAccessMode>(Edited.AccessMode, out var mode)
                    ? mode
                    : null,
            ReportCodes = Is(BackOfficeUserType.OnlineStoreAdministrator) ? [.. Reports] : null,
            IsActive = Edited.IsActive,
            Reason = ChangesStatus && !string.IsNullOrWhiteSpace(Reason) ? Reason.Trim() : null,
            IsSystemAdministrator = Edited.IsSystemAdministrator,
            AssignRoles = Roles.Except(_loadedRoles).Select(Guid.Parse).ToList(),
            RemoveRoles = _loadedRoles.Except(Roles).Select(Guid.Parse).ToList(),
            GrantFeatures = Rights
                .Except(_loadedRights)
                .Select(code => new SaveUserFormGrantBody { FeatureCode = code })
                .ToList(),
            RevokeFeatures = _loadedRights.Except(Rights).ToList(),
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
            FutureSalePointsRoleId =
                FutureSalePointsRole != _loadedFutureSalePointsRole && FutureSalePointsRole is { } future
                    ? Guid.Parse(future)
                    : null,
            StopFutureSalePoints =
                FutureSalePointsRole is null && _loadedFutureSalePointsRole is not null ? true : null,
            FutureStores = FutureStores != _loadedFutureStores ? FutureStores : null,
            AddStores = Stores.Except(_loadedStores).Select(Guid.Parse).ToList(),
            RemoveStores = _loadedStores.Except(Stores).Select(Guid.Parse).ToList(),
            DefaultStoreId =
                DefaultStore != _loadedDefaultStore && DefaultStore is { } store ? Guid.Parse(store) : null,
        };
    }

    private bool Is(BackOfficeUserType type) => Edited.Type == type.ToString();

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>A check box of the form's sets (roles, rights, reports): ticked adds, unticked removes.</summary>
    public static void Toggle(HashSet<string> set, string value, bool on)
    {
        if (on)
            set.Add(value);
        else
            set.Remove(value);
    }

    // The phone as edited; the rest of the contact details as they were (the form does not show them yet).
    private ContactBody? Contact()
    {
        var contact = _user.Contact;
        var phone = Trimmed(Edited.Phone);
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
