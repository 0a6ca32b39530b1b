using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using Microsoft.JSInterop;
using MudBlazor.Services;
using OrderStream.AdminConsole;
using OrderStream.AdminConsole.Api;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");

builder.Services.AddMudServices();
builder.Services.AddLocalization();
builder.Services.AddSingleton<ConsoleSession>();
builder.Services.AddSingleton(sp => new HttpClient(
    new ApiHandler(sp.GetRequiredService<ConsoleSession>()) { InnerHandler = new HttpClientHandler() }
)
{
    BaseAddress = new Uri(builder.HostEnvironment.BaseAddress),
});
builder.Services.AddSingleton<IOrderStreamClient>(sp => new OrderStreamClient(sp.GetRequiredService<HttpClient>()));

var host = builder.Build();

// Words and formats in the language of the user who signed in last on this browser (js/start.js gave Blazor the same
// one, so its words are fetched as it starts); set before RunAsync, which loads that culture's words if they are not.
var js = host.Services.GetRequiredService<IJSRuntime>();
Cultures.Use(await js.InvokeAsync<string?>("localStorage.getItem", ConsoleSession.LanguageKey) ?? "en");

// The signed-in user's language decides the console's words, so the session is read before the first render.
await host.Services.GetRequiredService<ConsoleSession>().ResumeAsync();
await host.RunAsync();
