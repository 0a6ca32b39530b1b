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
            var user = services.GetRequiredService<ActorContext>().RequireUser();
            if (!await services.GetRequiredService<IFeatureDecider>().HoldsAnyAsync(user, features, context.HttpContext.RequestAborted))
                throw new ForbiddenException($"This needs the secure feature {string.Join(" or ", features.Select(f => $"'{f}'"))}.");
            return await next(context);
        });
        return builder;
    }
}
