using Scalar.AspNetCore;

namespace OrderStream.Host;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>) and its interactive reference (<c>/scalar</c>): on unless
/// <c>ApiReference:Enabled</c> says otherwise, and off by default in Production, where they only show attackers the
/// way.
/// </summary>
public static class ApiReference
{
    public static bool Enabled(IConfiguration configuration, string environment) =>
        configuration.GetValue<bool?>("ApiReference:Enabled") ?? environment != Environments.Production;

    public static void Map(WebApplication app)
    {
        app.MapOpenApi();
        // A nonce per page for its scripts (SecurityHeaders writes the policy); nothing from or to Scalar's own
        // services.
        app.MapScalarApiReference(o =>
        {
            o.DynamicNonce = true;
            o.DefaultFonts = false;
            o.Telemetry = false;
            o.ShowDeveloperTools = DeveloperToolsVisibility.Never;
            o.DisableAgent();
            // "Try it" sends the token pasted for the bearer scheme; it is not kept in the browser's storage.
            o.AddPreferredSecuritySchemes(OpenApiOperations.Bearer);
        });
    }
}
