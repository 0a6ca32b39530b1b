using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Identity;

public sealed class SetSystemAdministratorTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Only_a_system_administrator_may_set_the_flag_even_when_creating_a_user()
    {
        var admin = await api.CreateTenantAsync();
        var created = await admin.CreateUserAsync(
            new
            {
                firstName = "New",
                lastName = "Admin",
                loginCode = "nadmin",
                isSystemAdministrator = true,
            }
        );
        Assert.True((bool)created["isSystemAdministrator"]!);
    }
}
