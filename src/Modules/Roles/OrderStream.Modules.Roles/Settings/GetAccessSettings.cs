namespace OrderStream.Modules.Roles.Settings;

/// <summary>
/// The tenant's rules for giving rights ("grant only what you hold"), with the ETag of the next change.
/// </summary>
internal static class GetAccessSettings
{
    public sealed record Query : IQuery<AccessSettingsResponse>;

    internal sealed class Handler(IQuerySession session) : IRequestHandler<Query, AccessSettingsResponse>
    {
        public async Task<AccessSettingsResponse> Handle(Query q, CancellationToken ct)
        {
            var settings = await session.LoadAsync<AccessSettings>(AccessSettings.StreamId, ct);
            return new AccessSettingsResponse(settings?.GrantOnlyWhatYouHold ?? false, settings?.Version ?? 0);
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
                    "/api/tenants/{tenant}/access-settings",
                    (IMediator mediator, HttpContext http, CancellationToken ct) => AnswerAsync(mediator, http, ct)
                )
                .WithTags("Roles")
                .WithName("GetAccessSettings")
                .WithSummary("Read the access settings")
                .WithDescription("The tenant's access settings, with an `ETag`.")
                .AnswersWithETag()
                .Produces<AccessSettingsResponse>()
                .RequireFeature(RolesModule.MaintainRoles);
    }
}
