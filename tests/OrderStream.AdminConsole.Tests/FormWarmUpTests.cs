using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using OrderStream.AdminConsole.Api;
using OrderStream.AdminConsole.Users;
using Xunit;

namespace OrderStream.AdminConsole.Tests;

/// <summary>The warm-up renders the whole user form, its answers in, without a page to render into.</summary>
public sealed class FormWarmUpTests
{
    // A System Administrator's form asks six questions; one who may maintain employee data alone is not told the
    // user's roles and rights (GET /roles and GET /users/{id}/access refuse them), so the form does not ask.
    [Theory]
    [InlineData(true, "access roles sale-points sale-points-of-the-user stores user")]
    [InlineData(false, "sale-points sale-points-of-the-user stores user")]
    public async Task The_warm_up_renders_the_loaded_form_through_the_client(bool administrator, string asked)
    {
        await using var context = new BunitContext();
        context.Services.AddMudServices();
        context.Services.AddLocalization();
        context.Services.AddSingleton<ConsoleSession>();
        var client = new AnsweringClient(administrator);
        context.Services.AddSingleton<IOrderStreamClient>(client);
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        await context.Services.GetRequiredService<ConsoleSession>().SignInAsync("acme", "carl", "carl-password-1");

        var html = await FormWarmUp.RenderAsync(context.Services, "acme", client.User.Id);

        Assert.Contains("id=\"first-name\"", html);
        Assert.Contains("value=\"Eva\"", html);
        Assert.Contains("Eva Berger", html);
        Assert.Equal(asked.Split(' '), client.Asked.Order());
    }

    // The form's questions answered as the service would; anything else is not the form's to ask.
    private sealed class AnsweringClient(bool administrator) : OrderStreamClient(new HttpClient())
    {
        public UserResponse User { get; } = UserFormStateTests.User();
        public List<string> Asked { get; } = [];

        private Task<ApiResponse<T>> Answer<T>(string what, T answer)
        {
            lock (Asked)
                Asked.Add(what);
            return Task.FromResult(new ApiResponse<T>(200, new Dictionary<string, IEnumerable<string>>(), answer));
        }

        // The session's questions, asked before the form is: not counted.
        public override Task<ApiResponse<SessionResponse>> SignInAsync(
            string tenant,
            LogInRequest body,
            CancellationToken ct
        ) =>
            Task.FromResult(
                new ApiResponse<SessionResponse>(
                    200,
                    new Dictionary<string, IEnumerable<string>>(),
                    new SessionResponse
                    {
                        Tenant = tenant,
                        UserId = Guid.NewGuid().ToString(),
                        IsSystemAdministrator = administrator,
                    }
                )
            );

        public override Task<ApiResponse<EffectivePermissionsResponse>> GetMyPermissionsAsync(
            string tenant,
            Guid? salePointId,
            CancellationToken ct
        ) =>
            Task.FromResult(
                new ApiResponse<EffectivePermissionsResponse>(
                    200,
                    new Dictionary<string, IEnumerable<string>>(),
                    new EffectivePermissionsResponse
                    {
                        IsActive = true,
                        IsSystemAdministrator = administrator,
                        Permissions = administrator ? [] : [new() { Code = "can-maintain-employee-data" }],
                    }
                )
            );

        public override Task<ApiResponse<UserResponse>> GetUserAsync(string tenant, Guid id, CancellationToken ct) =>
            Answer("user", User);

        public override Task<ApiResponse<UserAccessResponse>> GetUserAccessAsync(
            string tenant,
            Guid id,
            CancellationToken ct
        ) => Answer("access", UserFormStateTests.Access());

        public override Task<ApiResponse<UserLocationsResponse>> GetUserSalePointsAsync(
            string tenant,
            Guid id,
            CancellationToken ct
        ) => Answer("sale-points-of-the-user", UserFormStateTests.Locations());

        public override Task<ApiResponse<PagedListOfRoleResponse>> ListRolesAsync(
            string tenant,
            CancellationToken ct
        ) =>
            Answer(
                "roles",
                new PagedListOfRoleResponse { Items = [new() { Id = UserFormStateTests.Manager, Name = "Manager" }] }
            );

        public override Task<ApiResponse<PagedListOfLocationResponse>> ListSalePointsAsync(
            string tenant,
            string? status,
            CancellationToken ct
        ) => Answer("sale-points", new PagedListOfLocationResponse { Items = [] });

        public override Task<ApiResponse<PagedListOfLocationResponse>> ListStoresAsync(
            string tenant,
            string? status,
            CancellationToken ct
        ) => Answer("stores", new PagedListOfLocationResponse { Items = [] });
    }
}
