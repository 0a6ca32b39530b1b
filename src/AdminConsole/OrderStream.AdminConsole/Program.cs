using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using MudBlazor.Services;
using OrderStream.AdminConsole;
using OrderStream.Client;

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

// The signed-in user's language decides the console's words, so the session is read before the first render.
await host.Services.GetRequiredService<ConsoleSession>().ResumeAsync();
await host.RunAsync();
