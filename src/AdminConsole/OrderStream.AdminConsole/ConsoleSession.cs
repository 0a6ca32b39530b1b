using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using OrderStream.AdminConsole.Api;

namespace OrderStream.AdminConsole;

/// <summary>
/// Who is signed in (from the session cookie, which script cannot read), what they may do (from
/// <c>GET /me/permissions</c>), and the anti-forgery token the API asks for with every change (ADR 0027).
/// </summary>
public sealed class ConsoleSession(IServiceProvider services, NavigationManager navigation)
{
    private HashSet<string> _features = [];

    public string? Tenant { get; private set; }
    public SessionResponse? Current { get; private set; }
    public EffectivePermissionsResponse? Permissions { get; private set; }
    public bool SignedIn => Current is not null;

    public event Action? Changed;

    private IOrderStreamClient Api => services.GetRequiredService<IOrderStreamClient>();

    /// <summary>Whether the signed-in user holds a feature (System Administrators hold them all).</summary>
    public bool Has(string feature) => Permissions is { IsSystemAdministrator: true } || _features.Contains(feature);

    /// <summary>The Users menu and list: seed 001 gives them to these two features.</summary>
    public bool MaySeeUsers => Has("may-access-back-office-users") || Has("can-maintain-employee-data");

    /// <summary>At start: the session of the tenant in the address, if its cookie is still good.</summary>
    public async Task ResumeAsync()
    {
        var path = navigation.ToBaseRelativePath(navigation.Uri).Split('?')[0];
        var tenant = path.Split('/')[0];
        if (tenant.Length == 0)
            return;
        try
        {
            Tenant = tenant;
            await UseAsync((await Api.GetSessionAsync(tenant)).Result);
        }
        catch (ApiException)
        {
            Current = null;
        }
    }

    public async Task<SessionResponse> SignInAsync(string tenant, string loginCode, string password)
    {
        Tenant = tenant;
        var session = (
            await Api.SignInAsync(tenant, new LogInRequest { LoginCode = loginCode, Password = password })
        ).Result;
        await UseAsync(session);
        return session;
    }

    public async Task SignOutAsync()
    {
        if (Tenant is not null && Current is not null)
        {
            try
            {
                await Api.SignOutAsync(Tenant);
            }
            catch (ApiException e) when (e.StatusCode == 401)
            {
                // Already over: nothing to end.
            }
        }
        Forget();
    }

    /// <summary>The API said 401: the session ended; sign in again and come back to this page.</summary>
    public void Expired()
    {
        if (Tenant is null)
            return;
        var here = navigation.ToBaseRelativePath(navigation.Uri);
        Forget();
        if (!here.Contains("/sign-in", StringComparison.Ordinal))
            navigation.NavigateTo($"{Tenant}/sign-in?returnUrl={Uri.EscapeDataString("/" + here)}");
    }

    /// <summary>Whether the words on screen are in the user's language; if not, the page must load again.</summary>
    public bool SpeaksUsersLanguage =>
        Current is null || Cultures.Of(CultureInfo.CurrentUICulture.Name) == Cultures.Of(Current.Language);

    /// <summary>
    /// Remembers the user's language for the next start (js/start.js); whether loading the page again will change the
    /// language on screen (not when the language was remembered already and the console still started in another).
    /// </summary>
    public async Task<bool> RememberLanguageAsync(IJSRuntime js)
    {
        if (Current is null || SpeaksUsersLanguage)
            return false;
        var wanted = Cultures.Of(Current.Language);
        var remembered = await js.InvokeAsync<string?>("localStorage.getItem", LanguageKey);
        await js.InvokeVoidAsync("localStorage.setItem", LanguageKey, wanted);
        return remembered != wanted;
    }

    public const string LanguageKey = "orderstream.language";

    private async Task UseAsync(SessionResponse session)
    {
        Current = session;
        Permissions = (await Api.GetMyPermissionsAsync(session.Tenant, null)).Result;
        _features = Permissions.Permissions.Select(p => p.Code).ToHashSet(StringComparer.Ordinal);
        Changed?.Invoke();
    }

    private void Forget()
    {
        Current = null;
        Permissions = null;
        _features = [];
        Changed?.Invoke();
    }

    /// <summary>An instant on the tenant's clocks, in the user's format ("d" a date, "g" date and time).</summary>
    public string Show(DateTimeOffset? at, string format = "g")
    {
        if (at is not { } instant)
            return "";
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(Current?.TimeZone ?? "UTC", out var found)
            ? found
            : TimeZoneInfo.Utc;
        return TimeZoneInfo.ConvertTime(instant, zone).ToString(format, CultureInfo.CurrentCulture);
    }
}
