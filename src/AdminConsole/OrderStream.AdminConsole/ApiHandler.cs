namespace OrderStream.AdminConsole;

/// <summary>
/// Every call of the generated client passes here: changes carry the session's anti-forgery token, and a 401 (the
/// session ended) sends the user to sign in and back.
/// </summary>
public sealed class ApiHandler(ConsoleSession session) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (request.Method != HttpMethod.Get && session.Current is { } current)
            request.Headers.Add("X-CSRF-Token", current.AntiforgeryToken);
        var response = await base.SendAsync(request, ct);
        var isSession = request.RequestUri?.AbsolutePath.EndsWith("/auth/session", StringComparison.Ordinal) == true;
        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized && !isSession && session.SignedIn)
            session.Expired();
        return response;
    }
}
