using System.Net.Http.Headers;
using OrderStream.Client;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Platform;

/// <summary>
/// A scenario per module through the client generated from the committed OpenAPI document (issue #20): create, read,
/// change with If-Match, and a refusal read back as problem details. A schema that does not match what the service
/// sends or reads fails here, in the generated (de)serialisation.
/// </summary>
public sealed class GeneratedClientTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Identity_a_user_registered_read_changed_with_if_match_and_a_stale_change_refused()
    {
        var (client, tenant) = await LogInAsync();
        var registered = await client.RegisterUserAsync(
            tenant,
            new RegisterUserRequest
            {
                FirstName = "Ada",
                LastName = "Lovelace",
                LoginCode = "ada",
                Email = "ada@example.com",
                Password = "ada-password-1",
                Type = BackOfficeUserType.AccountExecutive,
            }
        );
        Assert.Equal(201, registered.StatusCode);
        Assert.Equal(BackOfficeUserType.AccountExecutive, registered.Result.Type);
        var id = Guid.Parse(registered.Result.Id);

        var read = await client.GetUserAsync(tenant, id);
        Assert.Equal("ada@example.com", read.Result.Email);
        var changed = await client.UpdateUserAsync(
            tenant,
            id,
            ETag(read),
            new UpdateUserRequest
            {
                FirstName = "Augusta Ada",
                LastName = "Lovelace",
                LoginCode = "ada",
                Email = "ada@example.com",
                Type = BackOfficeUserType.AccountExecutive,
            }
        );
        Assert.Equal("Augusta Ada", changed.Result.FirstName);
        Assert.NotEqual(ETag(read), ETag(changed));

        var stale = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() =>
            client.UpdateUserAsync(
                tenant,
                id,
                ETag(read),
                new UpdateUserRequest
                {
                    FirstName = "Lost",
                    LastName = "Update",
                    LoginCode = "ada",
                }
            )
        );
        Assert.Equal(412, stale.StatusCode);
        Assert.Equal(412, stale.Result.Status);
        var invalid = await Assert.ThrowsAsync<ApiException<HttpValidationProblemDetails>>(() =>
            client.RegisterUserAsync(
                tenant,
                new RegisterUserRequest
                {
                    FirstName = "",
                    LastName = "Nobody",
                    LoginCode = "nobody",
                }
            )
        );
        Assert.Equal(400, invalid.StatusCode);
        Assert.Contains("firstName", invalid.Result.Errors!.Keys);
    }

    [Fact]
    public async Task Roles_a_role_created_read_changed_with_if_match_and_a_caller_without_the_feature_refused()
    {
        var (client, tenant) = await LogInAsync();
        var created = await client.CreateRoleAsync(
            tenant,
            new CreateRoleRequest
            {
                Name = "Cashier",
                Grants = [new GrantBody { FeatureCode = "can-confirm-cash-count" }],
            }
        );
        Assert.Equal(201, created.StatusCode);
        var id = Guid.Parse(created.Result.Id);
        var read = await client.GetRoleAsync(tenant, id);
        Assert.Equal("can-confirm-cash-count", Assert.Single(read.Result.Grants).FeatureCode);

        var changed = await client.UpdateRoleAsync(
            tenant,
            id,
            ETag(read),
            new UpdateRoleRequest
            {
                Name = "Senior cashier",
                Grants = [new GrantBody { FeatureCode = "can-confirm-cash-count" }],
            }
        );
        Assert.Equal("Senior cashier", changed.Result.Name);

        await client.RegisterUserAsync(
            tenant,
            new RegisterUserRequest
            {
                FirstName = "Plain",
                LastName = "User",
                LoginCode = "plain",
                Password = "plain-password-1",
            }
        );
        var (plain, _) = await LogInAsync(tenant, "plain", "plain-password-1");
        var refused = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => plain.ListRolesAsync(tenant));
        Assert.Equal(403, refused.StatusCode);
        Assert.Contains("secure feature", refused.Result.Detail);
    }

    [Fact]
    public async Task Sale_points_a_sale_point_created_read_changed_with_if_match_assigned_and_a_stale_change_refused()
    {
        var (client, tenant) = await LogInAsync();
        var created = await client.CreateSalePointAsync(
            tenant,
            new CreateSalePointRequest { Code = "SP01", Name = "Main street" }
        );
        Assert.Equal(201, created.StatusCode);
        var id = Guid.Parse(created.Result.Id);
        var read = await client.GetSalePointAsync(tenant, id);
        var changed = await client.UpdateSalePointAsync(
            tenant,
            id,
            ETag(read),
            new UpdateSalePointRequest { Code = "SP01", Name = "Main street 1" }
        );
        Assert.Equal("Main street 1", changed.Result.Name);

        var user = await client.RegisterUserAsync(
            tenant,
            new RegisterUserRequest
            {
                FirstName = "Cash",
                LastName = "Ier",
                LoginCode = "cashier",
            }
        );
        var cashier = await client.CreateRoleAsync(
            tenant,
            new CreateRoleRequest
            {
                Name = "Cashier",
                Grants = [new GrantBody { FeatureCode = "can-confirm-cash-count" }],
            }
        );
        var assigned = await client.AddUserSalePointAsync(
            tenant,
            Guid.Parse(user.Result.Id),
            null,
            new AddUserSalePointRequest { SalePointId = id, RoleId = Guid.Parse(cashier.Result.Id) }
        );
        Assert.Equal(id.ToString(), Assert.Single(assigned.Result.SalePoints).SalePointId.ToString());

        var stale = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() =>
            client.UpdateSalePointAsync(
                tenant,
                id,
                ETag(read),
                new UpdateSalePointRequest { Code = "SP01", Name = "Lost update" }
            )
        );
        Assert.Equal(412, stale.StatusCode);
    }

    [Fact]
    public async Task Billing_the_settings_read_changed_with_if_match_a_statement_read_and_a_bad_month_refused()
    {
        var (client, tenant) = await LogInAsync();
        var read = await client.GetBillingSettingsAsync(tenant);
        var changed = await client.SaveBillingSettingsAsync(
            tenant,
            ETag(read),
            new SaveBillingSettingsRequest { PricePerUser = 12.34m, Currency = "EUR" }
        );
        Assert.Equal(12.34m, changed.Result.PricePerUser);

        var month = api.Clock.GetUtcNow().ToString("yyyy-MM");
        var statement = await client.GetStatementAsync(tenant, month, null);
        Assert.Equal(month, statement.Result.Month);

        var stale = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() =>
            client.SaveBillingSettingsAsync(
                tenant,
                ETag(read),
                new SaveBillingSettingsRequest { PricePerUser = 1m, Currency = "EUR" }
            )
        );
        Assert.Equal(412, stale.StatusCode);
        var badMonth = await Assert.ThrowsAnyAsync<ApiException>(() =>
            client.GetStatementAsync(tenant, "2027-13", null)
        );
        Assert.Equal(400, badMonth.StatusCode);
    }

    private static string ETag(ApiResponse response) => Assert.Single(response.Headers["ETag"]);

    private async Task<(OrderStreamClient Client, string Tenant)> LogInAsync(
        string? tenant = null,
        string login = "admin",
        string password = TenantClient.AdminPassword
    )
    {
        tenant ??= (await api.CreateTenantAsync()).Tenant;
        var http = api.CreateClient();
        var client = new OrderStreamClient(http);
        var token = await client.LogInAsync(tenant, new LogInRequest { LoginCode = login, Password = password });
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Result.Token);
        return (client, tenant);
    }
}
