using OrderStream.Modules.Roles.Catalogue;

namespace OrderStream.Modules.Roles.Settings;

/// <summary>
/// Turns settings the catalogue names on or off (If-Match, audited one by one); only who maintains roles may. The
/// effects that depend on them apply from the next question on, on every instance (ADR 0028).
/// </summary>
internal static class ChangeFeatureSettings
{
    public sealed record Body(Dictionary<string, bool?>? Values);

    public sealed record Command(IReadOnlyDictionary<string, bool?>? Values, long? ExpectedVersion) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(FeatureCatalogue catalogue)
        {
            RuleFor(c => c.Values).NotEmpty().WithMessage("Name at least one setting and its value.");
            RuleFor(c => c.Values)
                .Custom(
                    (values, context) =>
                    {
                        foreach (var (code, on) in values ?? new Dictionary<string, bool?>())
                            if (catalogue.Settings.All(s => s.Code != code))
                                context.AddFailure($"values.{code}", $"There is no setting '{code}'.");
                            else if (on is null)
                                context.AddFailure($"values.{code}", "The value must be true or false.");
                    }
                );
        }
    }

    internal sealed class Handler(IDocumentSession session) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            var stream = await session.FetchStreamForUpdateAsync<FeatureSettings>(
                FeatureSettings.StreamId,
                c.ExpectedVersion,
                "feature settings",
                ct
            );
            var on = stream.Aggregate?.On ?? [];
            foreach (var (code, value) in c.Values!)
                if (value!.Value != on.Contains(code))
                    stream.AppendOne(new FeatureSettingChanged(code, value.Value, !value.Value));
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPut(
                    "/api/tenants/{tenant}/feature-settings",
                    async (Body body, IMediator mediator, HttpContext http, CancellationToken ct) =>
                    {
                        await mediator.Send(new Command(body.Values, ETags.ExpectedVersion(http.Request)), ct);
                        return await GetFeatureSettings.AnswerAsync(mediator, http, ct);
                    }
                )
                .WithTags("Roles")
                .WithName("ChangeFeatureSettings")
                .WithSummary("Change the feature settings")
                .WithDescription(
                    "Sets the named settings on (`true`) or off (`false`); the others stay. Send `If-Match` with the "
                        + "`ETag` you read: 412 when stale. Audited."
                )
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<FeatureSettingsResponse>()
                .RequireFeature(RolesModule.MaintainRoles);
    }
}
