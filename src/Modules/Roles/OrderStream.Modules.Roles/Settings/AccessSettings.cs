using System.Security.Cryptography;
using System.Text;
using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Roles.Settings;

internal sealed record AccessSettingsChanged(bool GrantOnlyWhatYouHold, bool Previous);

/// <summary>
/// The tenant's rules for giving rights (issue #6). <c>GrantOnlyWhatYouHold</c>: a user gives — directly, by editing a role
/// or by assigning one (also at a sale point) — only features they hold, with qualifiers no higher than their own. Off by
/// default: the manual lets a Back Office Users holder raise their own rights. Tier rules hold whatever the setting.
/// </summary>
internal sealed class AccessSettings
{
    public static readonly Guid StreamId = new(MD5.HashData(Encoding.UTF8.GetBytes("access-settings")));

    public Guid Id { get; set; }
    public long Version { get; set; }
    public bool GrantOnlyWhatYouHold { get; set; }

    public void Apply(AccessSettingsChanged e) => GrantOnlyWhatYouHold = e.GrantOnlyWhatYouHold;

    public static async Task<bool> GrantOnlyWhatYouHoldAsync(IQuerySession session, CancellationToken ct) =>
        (await session.LoadAsync<AccessSettings>(StreamId, ct))?.GrantOnlyWhatYouHold ?? false;
}

internal static class ChangeAccessSettings
{
    public sealed record Body(bool? GrantOnlyWhatYouHold);

    public sealed record Command(bool? GrantOnlyWhatYouHold, long? ExpectedVersion) : ICommand<Unit>;

    public sealed record Response(bool GrantOnlyWhatYouHold, long Version);

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
            if (before != c.GrantOnlyWhatYouHold) stream.AppendOne(new AccessSettingsChanged(c.GrantOnlyWhatYouHold!.Value, before));
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
        {
            const string route = "/api/tenants/{tenant}/access-settings";
            app.MapGet(route, async (IQuerySession session, HttpContext http, CancellationToken ct) => await AnswerAsync(session, http, ct))
                .WithTags("Roles").WithName("GetAccessSettings").Produces<Response>().RequireFeature(RolesModule.MaintainRoles);
            app.MapPut(route, async (Body body, IMediator mediator, IQuerySession session, HttpContext http, CancellationToken ct) =>
                {
                    try { await mediator.Send(new Command(body.GrantOnlyWhatYouHold, ETags.ExpectedVersion(http.Request)), ct); }
                    catch (JasperFx.ConcurrencyException)
                    {
                        throw new PreconditionFailedException("The access settings changed since you read them (If-Match is stale). Reload and try again.");
                    }
                    return await AnswerAsync(session, http, ct);
                })
                .WithTags("Roles").WithName("ChangeAccessSettings").Produces<Response>().RequireFeature(RolesModule.MaintainRoles);
        }

        private static async Task<IResult> AnswerAsync(IQuerySession session, HttpContext http, CancellationToken ct)
        {
            var settings = await session.LoadAsync<AccessSettings>(AccessSettings.StreamId, ct);
            return http.WithETag(settings?.Version ?? 0, new Response(settings?.GrantOnlyWhatYouHold ?? false, settings?.Version ?? 0));
        }
    }
}
