using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Identity.Contracts;

namespace OrderStream.Modules.Billing.Licenses;

/// <summary>
/// Links an unused license to an active user who has none, with the e-mail address the confirmation goes to; the mail
/// is queued in the same transaction (the outbox), within the limits that keep it from flooding an inbox.
/// </summary>
internal static class LinkLicense
{
    public sealed record Command(Guid? UserId, string? Email) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.UserId).NotEmpty();
            RuleFor(c => c.Email).NotEmpty().MaximumLength(254).EmailAddress();
        }
    }

    internal sealed class Handler(
        IDocumentSession session,
        TenantContext tenant,
        ActorContext actor,
        IMediator mediator,
        TimeProvider clock
    ) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            var stream = await LicensePool.OpenAsync(session, tenant.Tenant, ct);
            var pool = stream.Aggregate ?? new LicensePool();
            var user = (await mediator.Send(new GetUserAccessFacts([c.UserId!.Value]), ct)).SingleOrDefault()
                ?? throw new NotFoundException("User", c.UserId.ToString()!);
            if (!user.IsActive)
                throw new ConflictException($"{user.Name} is inactive: an inactive user needs no license.", "userId");
            if (pool.Of(user.UserId) is { } held)
                throw new ConflictException(
                    $"{user.Name} holds license {held.Id} already ({held.Status.ToString().ToLowerInvariant()}).",
                    "userId"
                );
            var free = pool.Licenses.FirstOrDefault(l => l.Status == LicenseStatus.Unused)
                ?? throw new ConflictException($"All {pool.Licenses.Count} licenses are in use: purchase more first.");
            var (email, now) = (c.Email!.Trim(), clock.GetUtcNow());
            await LicenseMail.RequireWithinLimitsAsync(session, free.Id, user.UserId, email, now, ct);
            stream.AppendOne(
                new LicenseLinked(free.Id, user.UserId, email, now, actor.RequireUser().UserId.ToString())
            );
            LicenseMail.Queue(session, tenant.Tenant, free.Id, user.UserId, email, now);
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/licenses/link",
                    async (Command command, IMediator m, HttpContext h, CancellationToken ct) =>
                    {
                        await m.Send(command, ct);
                        return await GetLicenses.AnswerAsync(m, h, ct);
                    }
                )
                .WithTags("Licenses")
                .WithName("LinkLicense")
                .WithSummary("Link a license to a user")
                .WithDescription(
                    "Takes a free license for an active user who has none (409 when none is free) and "
                        + "mails a confirmation link; mails per address are limited (429)."
                )
                .AnswersWithETag()
                .Produces<GetLicenses.Overview>()
                .ProducesProblem(StatusCodes.Status429TooManyRequests)
                .RequireFeature(BillingModule.ManageBilling);
    }
}
