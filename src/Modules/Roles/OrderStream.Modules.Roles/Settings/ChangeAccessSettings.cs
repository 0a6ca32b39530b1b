namespace OrderStream.Modules.Roles.Settings;

/// <summary>Switches "grant only what you hold" on or off (If-Match, audited); only who maintains roles may.</summary>
internal static class ChangeAccessSettings
{
    public sealed record Body(bool? GrantOnlyWhatYouHold);

    public sealed record Command(bool? GrantOnlyWhatYouHold, long? ExpectedVersion) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.GrantOnlyWhatYouHold).NotNull();
    }

    internal sealed class Handler(IDocumentSession session) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            var stream = await session.FetchStreamForUpdateAsync<AccessSettings>(
                AccessSettings.StreamId,
                c.ExpectedVersion,
                "access settings",
                ct
            );
            var before = stream.Aggregate?.GrantOnlyWhatYouHold ?? false;
            if (before != c.GrantOnlyWhatYouHold)
                stream.AppendOne(new AccessSettingsChanged(c.GrantOnlyWhatYouHold!.Value, before));
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPut(
                    "/api/tenants/{tenant}/access-settings",
                    async (Body body, IMediator mediator, HttpContext http, CancellationToken ct) =>
                    {
                        await mediator.Send(
                            new Command(body.GrantOnlyWhatYouHold, ETags.ExpectedVersion(http.Request)),
                            ct
                        );
                        return await GetAccessSettings.AnswerAsync(mediator, http, ct);
                    }
                )
                .WithTags("Roles")
                .WithName("ChangeAccessSettings")
                .WithSummary("Change the access settings")
                .WithDescription(
                    "For example \"grant only what you hold\". Send `If-Match` with the `ETag` you read: "
                        + "412 when stale. Audited."
                )
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<AccessSettingsResponse>()
                .RequireFeature(RolesModule.MaintainRoles);
    }
}
