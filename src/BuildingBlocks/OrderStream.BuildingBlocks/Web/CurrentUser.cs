using System.Runtime.CompilerServices;
using System.Security.Claims;

namespace OrderStream.BuildingBlocks.Web;

/// <summary>
/// Who is calling, as the token says. The claims are the ones the Identity module's login issues. <c>Channel</c>: where
/// the token was issued (<see cref="Channels"/>); a POS token is good at its <c>SalePointId</c> only (ADR 0020).
/// </summary>
public sealed record CurrentUser(
    Guid UserId,
    string Tenant,
    string Name,
    string Channel = Channels.WebOffice,
    Guid? SalePointId = null,
    int Generation = 0
)
{
    public const string TenantClaim = "tenant";
    public const string UserIdClaim = "sub";
    public const string NameClaim = "name";
    public const string SalePointClaim = "salePointId";
    public const string ChannelClaim = "channel";
    public const string GenerationClaim = "gen";

    public bool IsPos => Channel == Channels.Pos;

    // A remembered token's principal serves every request with that token (ADR 0011): its claims are read once.
    private static readonly ConditionalWeakTable<ClaimsPrincipal, CurrentUser?> Read = new();

    public static CurrentUser? From(ClaimsPrincipal principal) =>
        // The anonymous principal is new on each request: remembering it would only fill the table.
        principal.Identity?.IsAuthenticated == true
            ? Read.GetValue(principal, FromClaims)
            : null;

    private static CurrentUser? FromClaims(ClaimsPrincipal principal)
    {
        var id = principal.FindFirst(UserIdClaim)?.Value ?? principal.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var tenant = principal.FindFirst(TenantClaim)?.Value;
        if (!Guid.TryParse(id, out var userId) || tenant is null)
            return null;
        Guid? salePoint = Guid.TryParse(principal.FindFirst(SalePointClaim)?.Value, out var sp) ? sp : null;
        // Tokens issued before channels were written down: a sale point made it a POS token.
        var channel = principal.FindFirst(ChannelClaim)?.Value
            ?? (salePoint is null ? Channels.WebOffice : Channels.Pos);
        // Tokens issued before generations were written down are of the first.
        var generation = int.TryParse(principal.FindFirst(GenerationClaim)?.Value, out var g) ? g : 0;
        return new CurrentUser(
            userId,
            tenant,
            principal.FindFirst(NameClaim)?.Value ?? "",
            channel,
            salePoint,
            generation
        );
    }
}

/// <summary>Where a token was issued: the web office (the back office) or a POS at one sale point.</summary>
public static class Channels
{
    public const string WebOffice = "web-office";
    public const string Pos = "pos";
}

/// <summary>
/// The actor of the current scope: the caller of an HTTP request, or a named system actor for background work.
/// </summary>
public sealed class ActorContext
{
    public CurrentUser? User { get; set; }
    public string? SystemActor { get; set; }
    public string? CorrelationId { get; set; }
    public string? CausationId { get; set; }

    /// <summary>
    /// The client's address as this service sees it (behind a proxy: forwarded headers must be on, ADR 0021).
    /// </summary>
    public string? ClientAddress { get; set; }

    public string Actor => User?.UserId.ToString() ?? SystemActor ?? "anonymous";

    public CurrentUser RequireUser() => User ?? throw new Errors.UnauthorizedException("You need to log in.");
}
