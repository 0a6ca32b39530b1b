using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OrderStream.BuildingBlocks.Errors;

namespace OrderStream.BuildingBlocks.Web;

/// <summary>
/// Decides whether a user holds a secure feature. The Roles &amp; Secure Features module will own the real decision.
/// </summary>
public interface IFeatureDecider
{
    Task<bool> HoldsAnyAsync(CurrentUser user, IReadOnlyList<string> features, CancellationToken ct);

    /// <summary>
    /// Whether the caller's token still works: an inactive user's tokens do not, not even for themselves, and a
    /// password change ends the tokens issued before it.
    /// </summary>
    Task<TokenStanding> StandingAsync(CurrentUser user, CancellationToken ct);
}

public enum TokenStanding
{
    Good,
    UserInactive,
    Ended,
}

/// <summary>
/// Endpoint metadata: the secure features (any of them) the endpoint requires. Read by the OpenAPI document too.
/// </summary>
public sealed record RequiredFeatures(IReadOnlyList<string> Codes);

/// <summary>
/// Endpoint metadata: a POS token may call it (ADR 0020). Every other endpoint refuses POS tokens; one that accepts
/// them answers about the token's own user at the token's sale point.
/// </summary>
public sealed record PosTokensAccepted;

public static class RequireFeatureExtensions
{
    /// <summary>Requires an authenticated caller holding at least one of <paramref name="features"/>.</summary>
    public static TBuilder RequireFeature<TBuilder>(this TBuilder builder, params string[] features)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.RequireAuthorization();
        builder.WithMetadata(new RequiredFeatures(features));
        builder.AddEndpointFilter(
            async (context, next) =>
            {
                var services = context.HttpContext.RequestServices;
                await services
                    .GetRequiredService<IFeatureDecider>()
                    .RequireAnyAsync(
                        services.GetRequiredService<ActorContext>().RequireUser(),
                        features,
                        context.HttpContext.RequestAborted
                    );
                return await next(context);
            }
        );
        return builder;
    }

    /// <summary>
    /// Lets POS tokens call the endpoint (<see cref="PosTokensAccepted"/>), besides web office tokens.
    /// </summary>
    public static TBuilder AcceptPosTokens<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new PosTokensAccepted());

    /// <summary>A POS token may ask only about its own user, at its own sale point (403 otherwise).</summary>
    public static void RequirePosScope(this CurrentUser caller, Guid userId, Guid? salePointId)
    {
        if (!caller.IsPos)
            return;
        if (userId != caller.UserId)
            throw new ForbiddenException("A POS token answers about its own user only.");
        if (salePointId is { } asked && asked != caller.SalePointId)
            throw new ForbiddenException("A POS token answers at its own sale point only.");
    }

    /// <summary>
    /// Refuses (403, naming the features) a user holding none of <paramref name="features"/>: the endpoints' check, and
    /// the same check in a module's handler that other modules' requests reach without its route (bulk changes).
    /// </summary>
    public static async Task RequireAnyAsync(
        this IFeatureDecider decider,
        CurrentUser user,
        IReadOnlyList<string> features,
        CancellationToken ct,
        string what = "This"
    )
    {
        if (!await decider.HoldsAnyAsync(user, features, ct))
            throw new ForbiddenException(
                $"{what} needs the secure feature {string.Join(" or ", features.Select(f => $"'{f}'"))}."
            );
    }
}
