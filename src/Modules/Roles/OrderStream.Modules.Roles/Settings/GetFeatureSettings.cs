using OrderStream.Modules.Roles.Catalogue;

namespace OrderStream.Modules.Roles.Settings;

/// <summary>The settings the catalogue's effects depend on, each on or off in this tenant, with an ETag.</summary>
internal static class GetFeatureSettings
{
    public sealed record Query : IQuery<FeatureSettingsResponse>;

    internal sealed class Handler(IQuerySession session, FeatureCatalogue catalogue)
        : IRequestHandler<Query, FeatureSettingsResponse>
    {
        public async Task<FeatureSettingsResponse> Handle(Query q, CancellationToken ct)
        {
            var settings = await session.LoadAsync<FeatureSettings>(FeatureSettings.StreamId, ct);
            var on = settings?.On ?? [];
            return new FeatureSettingsResponse(
                catalogue
                    .Settings.Select(s => new FeatureSettingValue(s.Code, s.Name, s.Description, on.Contains(s.Code)))
                    .ToList(),
                settings?.Version ?? 0
            );
        }
    }

    public static async Task<IResult> AnswerAsync(IMediator mediator, HttpContext http, CancellationToken ct)
    {
        var settings = await mediator.Send(new Query(), ct);
        return http.WithETag(settings.Version, settings);
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet(
                    "/api/tenants/{tenant}/feature-settings",
                    (IMediator mediator, HttpContext http, CancellationToken ct) => AnswerAsync(mediator, http, ct)
                )
                .WithTags("Roles")
                .WithName("GetFeatureSettings")
                .WithSummary("Read the feature settings")
                .WithDescription(
                    "The host company's settings that secure features' effects depend on (e.g. 'Secure Stock "
                        + "Adjustments'), each on or off, with an `ETag`."
                )
                .AnswersWithETag()
                .Produces<FeatureSettingsResponse>()
                .RequireFeature(RolesModule.MaintainRoles);
    }
}
