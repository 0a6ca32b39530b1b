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
            var stream = c.ExpectedVersion is { } version
                ? await session.Events.FetchForWriting<AccessSettings>(AccessSettings.StreamId, version, ct)
                : await session.Events.FetchForWriting<AccessSettings>(AccessSettings.StreamId, ct);
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
                        try
                        {
                            await mediator.Send(
                                new Command(body.GrantOnlyWhatYouHold, ETags.ExpectedVersion(http.Request)),
                                ct
                            );
                        }
                        catch (JasperFx.ConcurrencyException)
                        {
                            throw new PreconditionFailedException(
                                "The access settings changed since you read them (If-Match is stale). "
                                    + "Reload and try again."
                            );
                        }
                        return await GetAccessSettings.AnswerAsync(mediator, http, ct);
                    }
                )
                .WithTags("Roles")
                .WithName("ChangeAccessSettings")
                .Produces<AccessSettingsResponse>()
                .RequireFeature(RolesModule.MaintainRoles);
    }
}
