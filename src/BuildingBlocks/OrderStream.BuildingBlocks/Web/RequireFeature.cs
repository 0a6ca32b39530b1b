using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OrderStream.BuildingBlocks.Errors;

namespace OrderStream.BuildingBlocks.Web;

/// <summary>Decides whether a user holds a secure feature. The Roles &amp; Secure Features module will own the real decision.</summary>
public interface IFeatureDecider
{
    Task<bool> HoldsAnyAsync(CurrentUser user, IReadOnlyList<string> features, CancellationToken ct);
}

/// <summary>Endpoint metadata: the secure features (any of them) the endpoint requires. Read by the OpenAPI document too.</summary>
public sealed record RequiredFeatures(IReadOnlyList<string> Codes);

public static class RequireFeatureExtensions
{
    /// <summary>Requires an authenticated caller holding at least one of <paramref name="features"/>.</summary>
    public static TBuilder RequireFeature<TBuilder>(this TBuilder builder, params string[] features)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.RequireAuthorization();
        builder.WithMetadata(new RequiredFeatures(features));
        builder.AddEndpointFilter(async (context, next) =>
        {
            var services = context.HttpContext.RequestServices;
            await services.GetRequiredService<IFeatureDecider>().RequireAnyAsync(services.GetRequiredService<ActorContext>().RequireUser(), features,
                context.HttpContext.RequestAborted);
            return await next(context);
        });
        return builder;
    }

    /// <summary>
    /// Refuses (403, naming the features) a user holding none of <paramref name="features"/>: the endpoints' check, and the
    /// same check in a module's handler that other modules' requests reach without its route (bulk changes).
    /// </summary>
    public static async Task RequireAnyAsync(this IFeatureDecider decider, CurrentUser user, IReadOnlyList<string> features, CancellationToken ct,
        string what = "This")
    {
        if (!await decider.HoldsAnyAsync(user, features, ct))
            throw new ForbiddenException($"{what} needs the secure feature {string.Join(" or ", features.Select(f => $"'{f}'"))}.");
    }
}
