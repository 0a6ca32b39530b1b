using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Logging;
using OrderStream.AdminConsole.Pages;

namespace OrderStream.AdminConsole.Users;

// The first user form opened after a page load took 300 ms more than later ones: its code, the client's and
// MudBlazor's ran for the first time in interpreted WebAssembly. Once per page load, while the administrator reads
// the list, the form of its first user is rendered to a string (no DOM, no title, no navigation lock), so that the
// form they open runs warm code.
public static class FormWarmUp
{
    private static bool _started;

    public static async Task RunOnceAsync(IServiceProvider services, string tenant, string userId)
    {
        if (_started)
            return;
        _started = true;
        await Task.Delay(100); // after the list's rows are on screen
        try
        {
            await RenderAsync(services, tenant, userId);
        }
        catch (Exception e) // Only time is at stake: the form opens as it would have without it.
        {
            services.GetRequiredService<ILogger<UserForm>>().LogDebug(e, "Warming the user form up failed");
        }
    }

    // The form as it renders once its answers are in (the renderer waits for them).
    public static async Task<string> RenderAsync(IServiceProvider services, string tenant, string userId)
    {
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        var parameters = new Dictionary<string, object?> { ["Tenant"] = tenant, ["Id"] = userId };
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<UserForm>(ParameterView.FromDictionary(parameters))).ToHtmlString()
        );
    }
}
