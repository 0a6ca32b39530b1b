using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Identity;

public sealed class RegisterUserTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Creating_a_user_answers_201_with_location_and_the_user_and_GET_returns_it_with_an_etag()
    {
        var admin = await api.CreateTenantAsync();
        var response = await admin.PostAsync(
            "users",
            new
            {
                firstName = "Maria",
                lastName = "Huber",
                email = "Maria.Huber@Example.com",
                loginCode = "mhuber",
                language = "de",
                contact = new
                {
                    phone = "+43 1 234 5678",
                    addressLines = new[] { "Ringstraße 1" },
                    postalCode = "1010",
                    city = "Wien",
                    country = "at",
                },
                password = "correct-horse-battery",
                pin = "4826",
            }
        );
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.ReadAsync();
        var id = (string)created["id"]!;
        Assert.Equal($"/api/tenants/{admin.Tenant}/users/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("AT", (string)created["contact"]!["country"]!);
        Assert.True((bool)created["hasPassword"]!);
        Assert.True((bool)created["hasPin"]!);
        Assert.True((bool)created["isActive"]!);
        Assert.Null(created["password"]);

        var get = await admin.GetAsync($"users/{id}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal($"\"{(long)created["version"]!}\"", get.Headers.ETag!.Tag);
        Assert.Equal("Maria.Huber@Example.com", (string)(await get.ReadAsync())["email"]!);
    }

    [Theory]
    [InlineData("firstName", "")]
    [InlineData("firstName", "R2D2")]
    [InlineData("lastName", "")]
    [InlineData("email", "not-an-email")]
    [InlineData("loginCode", "a")]
    [InlineData("loginCode", "has space")]
    [InlineData("language", "xx")]
    [InlineData("password", "short")]
    [InlineData("pin", "12ab")]
    [InlineData("pin", "123")]
    [InlineData("pin", "123456789")]
    public async Task Each_bad_field_is_named_in_a_400(string field, string value)
    {
        var admin = await api.CreateTenantAsync();
        var body = new JsonObject
        {
            ["firstName"] = "Eva",
            ["lastName"] = "Berger",
            ["loginCode"] = "eberger",
            [field] = value,
        };
        var response = await admin.PostAsync("users", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal([field], (await response.ErrorsAsync()).Keys);
    }

    [Theory]
    [InlineData("phone", "call me")]
    [InlineData("mobile", "12")]
    [InlineData("postalCode", "!!")]
    [InlineData("city", "<script>")]
    [InlineData("country", "ZZ")]
    public async Task Contact_details_are_validated_because_they_are_printed_on_documents(string field, string value)
    {
        var admin = await api.CreateTenantAsync();
        var response = await admin.PostAsync(
            "users",
            new JsonObject
            {
                ["firstName"] = "Eva",
                ["lastName"] = "Berger",
                ["loginCode"] = "eberger",
                ["contact"] = new JsonObject { [field] = value },
            }
        );
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([$"contact.{field}"], (await response.ErrorsAsync()).Keys);
    }

    [Fact]
    public async Task Malformed_json_and_wrong_types_are_400s_naming_the_field_never_500s()
    {
        var admin = await api.CreateTenantAsync();
        var wrongType = await admin.Http.PostAsync(
            admin.Url("users"),
            new StringContent(
                """{"firstName":"Eva","lastName":"B","loginCode":"eb","allowLogin":"maybe"}""",
                System.Text.Encoding.UTF8,
                "application/json"
            )
        );
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Contains("allowLogin", (await wrongType.ErrorsAsync()).Keys);

        var badEnum = await admin.PostAsync(
            "users",
            new
            {
                firstName = "Eva",
                lastName = "B",
                loginCode = "eb",
                type = "Pirate",
            }
        );
        Assert.Equal(HttpStatusCode.BadRequest, badEnum.StatusCode);
        Assert.Contains("type", (await badEnum.ErrorsAsync()).Keys);

        var broken = await admin.Http.PostAsync(
            admin.Url("users"),
            new StringContent("{\"firstName\":", System.Text.Encoding.UTF8, "application/json")
        );
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);

        var badPage = await admin.GetAsync("users?page=abc");
        Assert.Equal(HttpStatusCode.BadRequest, badPage.StatusCode);
        Assert.Contains("page", (await badPage.ErrorsAsync()).Keys);

        var bigPage = await admin.GetAsync("users?pageSize=201");
        Assert.Equal(HttpStatusCode.BadRequest, bigPage.StatusCode);
        Assert.Contains("pageSize", (await bigPage.ErrorsAsync()).Keys);

        var badStatus = await admin.GetAsync("users?status=sleeping");
        Assert.Contains("status", (await badStatus.ErrorsAsync()).Keys);
    }

    [Fact]
    public async Task Email_and_login_code_are_unique_in_the_tenant_ignoring_case_but_not_across_tenants()
    {
        var admin = await api.CreateTenantAsync();
        await admin.CreateUserAsync(TenantClient.NewUser(login: "jdoe", email: "j.doe@example.com"));

        var sameEmail = await admin.PostAsync("users", TenantClient.NewUser(email: "J.DOE@example.com"));
        Assert.Equal(HttpStatusCode.Conflict, sameEmail.StatusCode);
        Assert.Equal(["email"], (await sameEmail.ErrorsAsync()).Keys);

        var sameLogin = await admin.PostAsync("users", TenantClient.NewUser(login: "JDoe"));
        Assert.Equal(HttpStatusCode.Conflict, sameLogin.StatusCode);
        Assert.Equal(["loginCode"], (await sameLogin.ErrorsAsync()).Keys);

        var other = await api.CreateTenantAsync();
        await other.CreateUserAsync(TenantClient.NewUser(login: "jdoe", email: "j.doe@example.com"));
    }
}
