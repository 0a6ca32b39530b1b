using OrderStream.AdminConsole.Api;
using OrderStream.AdminConsole.Users;
using Xunit;

namespace OrderStream.AdminConsole.Tests;

/// <summary>What one "Save changes" of the user form sends: the fields as they are, the rest as differences.</summary>
public sealed class UserFormStateTests
{
    internal const string Cashier = "11111111-1111-1111-1111-111111111111";
    internal const string Manager = "22222222-2222-2222-2222-222222222222";
    internal const string Vienna = "33333333-3333-3333-3333-333333333333";
    internal const string Graz = "44444444-4444-4444-4444-444444444444";
    internal const string Depot = "55555555-5555-5555-5555-555555555555";
    internal const string Warehouse = "66666666-6666-6666-6666-666666666666";

    internal static UserFormState Loaded(bool active = true, bool administrator = false) =>
        UserFormState.From(User(active, administrator), Access(), Locations());

    internal static UserResponse User(bool active = true, bool administrator = false) =>
        new()
        {
            Id = Guid.NewGuid().ToString(),
            Version = 7,
            FirstName = "Eva",
            LastName = "Berger",
            LoginCode = "eberger",
            Language = "en",
            IsActive = active,
            IsSystemAdministrator = administrator,
            AllowLogin = true,
        };

    internal static UserAccessResponse Access() =>
        new() { Roles = [new RoleAssignment { RoleId = Guid.Parse(Manager) }] };

    internal static UserLocationsResponse Locations() =>
        new()
        {
            SalePoints =
            [
                new UserSalePointItem
                {
                    SalePointId = Vienna,
                    RoleId = Cashier,
                    Name = "Vienna",
                },
            ],
            Stores =
            [
                new UserStoreItem
                {
                    StoreId = Depot,
                    Name = "Depot",
                    IsDefault = true,
                },
            ],
            DefaultStoreId = Depot,
        };

    [Fact]
    public void A_form_as_loaded_is_clean_and_sends_no_difference()
    {
        var form = Loaded();
        Assert.False(form.IsDirty);
        Assert.Equal("\"7\"", form.IfMatch);
        var request = form.ToRequest();
        Assert.Equal("Eva", request.FirstName);
        Assert.Empty(request.AssignRoles!);
        Assert.Empty(request.RemoveRoles!);
        Assert.Empty(request.AddSalePoints!);
        Assert.Empty(request.RemoveSalePoints!);
        Assert.Empty(request.AddStores!);
        Assert.Empty(request.RemoveStores!);
        Assert.Null(request.DefaultStoreId);
        Assert.Null(request.Reason);
    }

    [Fact]
    public void Every_kind_of_change_makes_the_form_dirty_and_reset_makes_it_clean()
    {
        foreach (var change in Changes())
        {
            var form = Loaded();
            change(form);
            Assert.True(form.IsDirty);
            form.Reset();
            Assert.False(form.IsDirty);
        }
    }

    [Fact]
    public void A_role_changed_at_a_sale_point_is_that_sale_point_removed_and_added_with_the_new_role()
    {
        var form = Loaded();
        form.SalePoints[Vienna] = Manager;
        form.SalePoints[Graz] = Cashier;

        var request = form.ToRequest();

        Assert.Equal([Guid.Parse(Vienna)], request.RemoveSalePoints);
        Assert.Equal(
            [(Guid.Parse(Vienna), Guid.Parse(Manager)), (Guid.Parse(Graz), Guid.Parse(Cashier))],
            request.AddSalePoints!.Select(s => (s.SalePointId, s.RoleId)).OrderBy(s => s.SalePointId)
        );
    }

    [Fact]
    public void Removing_the_default_store_leaves_no_default_and_a_new_one_is_sent()
    {
        var form = Loaded();
        form.RemoveStore(Depot);
        Assert.Null(form.DefaultStore);
        form.Stores.Add(Warehouse);
        form.DefaultStore = Warehouse;

        var request = form.ToRequest();

        Assert.Equal([Guid.Parse(Warehouse)], request.AddStores);
        Assert.Equal([Guid.Parse(Depot)], request.RemoveStores);
        Assert.Equal(Guid.Parse(Warehouse), request.DefaultStoreId);
    }

    [Fact]
    public void A_reason_goes_only_with_a_change_of_status()
    {
        var form = Loaded();
        form.Reason = "left the company";
        Assert.Null(form.ToRequest().Reason);
        form.Edited.IsActive = false;
        Assert.True(form.ChangesStatus);
        Assert.Equal("left the company", form.ToRequest().Reason);
        Assert.False(form.ToRequest().IsActive);
    }

    [Fact]
    public void Roles_given_and_taken_are_sent_as_such()
    {
        var form = Loaded();
        form.Roles.Remove(Manager);
        form.Roles.Add(Cashier);
        var request = form.ToRequest();
        Assert.Equal([Guid.Parse(Cashier)], request.AssignRoles);
        Assert.Equal([Guid.Parse(Manager)], request.RemoveRoles);
    }

    [Fact]
    public void Only_taking_ones_own_way_in_locks_one_out()
    {
        var form = Loaded();
        var me = form.User.Id;
        form.Edited.FirstName = "Evelyn";
        Assert.False(form.LocksOut(me));
        form.Edited.AllowLogin = false;
        Assert.True(form.LocksOut(me));
        Assert.False(form.LocksOut(Guid.NewGuid().ToString()));
        form.Reset();
        form.Edited.IsActive = false;
        Assert.True(form.LocksOut(me));
    }

    [Fact]
    public void Only_deactivating_an_active_system_administrator_or_clearing_their_flag_takes_one_away()
    {
        var administrator = Loaded(administrator: true);
        administrator.Edited.FirstName = "Evelyn";
        Assert.False(administrator.RemovesActiveAdministrator);
        administrator.Edited.IsActive = false;
        Assert.True(administrator.RemovesActiveAdministrator);
        administrator.Reset();
        administrator.Edited.IsSystemAdministrator = false;
        Assert.True(administrator.RemovesActiveAdministrator);

        var inactive = Loaded(active: false, administrator: true);
        inactive.Edited.IsSystemAdministrator = false;
        Assert.False(inactive.RemovesActiveAdministrator);
        var other = Loaded();
        other.Edited.IsActive = false;
        Assert.False(other.RemovesActiveAdministrator);
    }

    [Fact]
    public void A_new_type_drops_the_old_profile_and_the_rights_bound_to_other_types_only()
    {
        var form = Loaded();
        form.ChangeType("ProductionCoordinator", _ => null);
        form.Counterparts.Add(Manager);
        form.Rights.UnionWith(["may-add-edit-suppliers", "can-maintain-locations"]);
        var request = form.ToRequest();
        Assert.Equal([Manager], request.AccountExecutiveIds);
        Assert.Null(request.ProductionCoordinatorIds);
        Assert.Equal(
            ["can-maintain-locations", "may-add-edit-suppliers"],
            request.GrantFeatures!.Select(g => g.FeatureCode).Order(StringComparer.Ordinal)
        );

        form.ChangeType("OnlineStoreAdministrator", code =>
            code == "may-add-edit-suppliers" ? ["ProductionCoordinator"] : null
        );

        // The supplier right is a coordinator's: it goes; a right bound to no type stays.
        Assert.Equal(["can-maintain-locations"], form.Rights);
        Assert.Empty(form.Counterparts);
        request = form.ToRequest();
        Assert.Null(request.AccountExecutiveIds);
        Assert.Equal(OsaAccessMode.FullStoreAccess, request.AccessMode);
        Assert.Empty(request.ReportCodes!);
        Assert.Null(request.SalespersonId);
    }

    [Fact]
    public void Future_sale_points_and_stores_are_sent_only_when_changed_and_stopping_is_said()
    {
        var form = Loaded();
        Assert.Null(form.ToRequest().FutureSalePointsRoleId);
        Assert.Null(form.ToRequest().StopFutureSalePoints);
        Assert.Null(form.ToRequest().FutureStores);

        form.FutureSalePointsRole = Cashier;
        form.FutureStores = true;
        Assert.Equal(Guid.Parse(Cashier), form.ToRequest().FutureSalePointsRoleId);
        Assert.True(form.ToRequest().FutureStores);

        var loadedWithFuture = UserFormState.From(
            form.User,
            new UserAccessResponse { Roles = [] },
            new UserLocationsResponse { FutureSalePointsRoleId = Cashier, FutureStores = true }
        );
        loadedWithFuture.FutureSalePointsRole = null;
        loadedWithFuture.FutureStores = false;
        var stop = loadedWithFuture.ToRequest();
        Assert.True(stop.StopFutureSalePoints);
        Assert.Null(stop.FutureSalePointsRoleId);
        Assert.False(stop.FutureStores);
    }

    private static IEnumerable<Action<UserFormState>> Changes() =>
        [
            f => f.Edited.FirstName = "Evelyn",
            f => f.Edited.LastName = "Gruber",
            f => f.Edited.Email = "eva@example.com",
            f => f.Edited.LoginCode = "eva",
            f => f.Edited.Language = "de",
            f => f.Edited.Phone = "+43 1 234",
            f => f.Edited.AllowLogin = false,
            f => f.Edited.IsActive = false,
            f => f.Edited.IsSystemAdministrator = true,
            f => f.Edited.Type = "AccountExecutive",
            f => f.Roles.Add(Cashier),
            f => f.Roles.Remove(Manager),
            f => f.SalePoints[Graz] = Cashier,
            f => f.SalePoints[Vienna] = Manager,
            f => f.SalePoints.Clear(),
            f => f.Stores.Add(Warehouse),
            f => f.RemoveStore(Depot),
            f => f.DefaultStore = null,
            f => f.Pin = "4826",
            f => f.Rights.Add("may-access-catalog"),
            f => f.Counterparts.Add(Manager),
            f => f.Reports.Add("invoices"),
            f => f.Edited.SalespersonId = "S-17",
            f => f.Edited.OnlineStoreId = Depot,
            f => f.Edited.AccessMode = "ReportsOnly",
            f => f.FutureSalePointsRole = Cashier,
            f => f.FutureStores = true,
        ];
}
