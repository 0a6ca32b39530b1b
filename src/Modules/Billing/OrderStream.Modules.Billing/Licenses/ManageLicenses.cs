using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Identity.Contracts;

namespace OrderStream.Modules.Billing.Licenses;

/// <summary>
/// Web office licenses (seed 002): purchase (the count is recorded; there is no payment integration), see them, link one to
/// a user with an e-mail address (a confirmation mail goes out through the outbox), resend, unlink, confirm with the mail's
/// one-time token, and whether the tenant enforces them at login.
/// </summary>
internal static class ManageLicenses
{
    public enum Op { Purchase, Enforce, Link, Unlink, Resend, Confirm }

    public sealed record Command(Op Op, int? Count = null, bool? Enforce = null, Guid? UserId = null, string? Email = null, Guid? LicenseId = null,
        string? Token = null) : ICommand<Unit>;

    public sealed record PurchaseBody(int? Count);

    public sealed record EnforceBody(bool? Enforce);

    public sealed record LinkBody(Guid? UserId, string? Email);

    public sealed record ConfirmBody(string? Token);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Count).NotNull().InclusiveBetween(1, 10_000).When(c => c.Op == Op.Purchase);
            RuleFor(c => c.Enforce).NotNull().When(c => c.Op == Op.Enforce);
            RuleFor(c => c.UserId).NotEmpty().When(c => c.Op == Op.Link);
            RuleFor(c => c.Email).NotEmpty().MaximumLength(254).EmailAddress().When(c => c.Op == Op.Link);
            RuleFor(c => c.Token).NotEmpty().MaximumLength(200).When(c => c.Op == Op.Confirm);
        }
    }

    internal sealed class Handler(IDocumentSession session, TenantContext tenant, ActorContext actor, IMediator mediator, TimeProvider clock)
        : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            var stream = await LicensePool.OpenAsync(session, tenant.Tenant, ct);
            var pool = stream.Aggregate ?? new LicensePool();
            var now = clock.GetUtcNow();
            string By() => actor.RequireUser().UserId.ToString();
            switch (c.Op)
            {
                case Op.Purchase:
                    var ids = Enumerable.Range(0, c.Count!.Value).Select(_ => Guid.CreateVersion7()).ToList();
                    stream.AppendOne(new LicensesPurchased(ids, now, By(), pool.Licenses.Count + ids.Count));
                    break;
                case Op.Enforce:
                    if (pool.Enforce != c.Enforce) stream.AppendOne(new LicenseEnforcementSet(c.Enforce!.Value, now, By()));
                    break;
                case Op.Link:
                    var user = (await mediator.Send(new GetUserAccessFacts([c.UserId!.Value]), ct)).SingleOrDefault()
                        ?? throw new NotFoundException("User", c.UserId.ToString()!);
                    if (!user.IsActive) throw new ConflictException($"{user.Name} is inactive: an inactive user needs no license.", "userId");
                    if (pool.Of(user.UserId) is { } held)
                        throw new ConflictException($"{user.Name} holds license {held.Id} already ({held.Status.ToString().ToLowerInvariant()}).", "userId");
                    var free = pool.Licenses.FirstOrDefault(l => l.Status == LicenseStatus.Unused)
                        ?? throw new ConflictException($"All {pool.Licenses.Count} licenses are in use: purchase more first.");
                    await LicenseMail.RequireWithinLimitsAsync(session, free.Id, user.UserId, c.Email!.Trim(), now, ct);
                    stream.AppendOne(new LicenseLinked(free.Id, user.UserId, c.Email.Trim(), now, By()));
                    LicenseMail.Queue(session, tenant.Tenant, free.Id, user.UserId, c.Email.Trim(), now);
                    break;
                case Op.Unlink:
                    var linked = Find(pool, c.LicenseId!.Value);
                    if (linked.Status == LicenseStatus.Unused) throw new ConflictException("That license is not linked to anyone.");
                    stream.AppendOne(new LicenseUnlinked(linked.Id, linked.UserId!.Value, now, By()));
                    break;
                case Op.Resend:
                    var pending = Find(pool, c.LicenseId!.Value);
                    if (pending.Status != LicenseStatus.Linked) throw new ConflictException("Only a license awaiting confirmation gets a new confirmation mail.");
                    await LicenseMail.RequireWithinLimitsAsync(session, pending.Id, pending.UserId!.Value, pending.Email!, now, ct);
                    LicenseMail.Queue(session, tenant.Tenant, pending.Id, pending.UserId!.Value, pending.Email!, now);
                    break;
                case Op.Confirm:
                    var hash = LicensePool.HashToken(c.Token!.Trim());
                    var license = pool.Licenses.FirstOrDefault(l => l.TokenHash == hash && l.Status == LicenseStatus.Linked)
                        ?? throw new FieldRuleException("token", "This confirmation link is not valid: it was used already, replaced by a newer one, or mistyped.");
                    if (license.TokenExpiresAt <= now)
                        throw new FieldRuleException("token", "This confirmation link has expired (links last 48 hours): ask your administrator to send a new one.");
                    stream.AppendOne(new LicenseConfirmed(license.Id, license.UserId!.Value, now));
                    break;
            }
            return Unit.Value;
        }

        private static License Find(LicensePool pool, Guid id) =>
            pool.Licenses.FirstOrDefault(l => l.Id == id) ?? throw new NotFoundException("License", id.ToString());
    }

    public sealed record LicenseItem(string Id, string Status, string? UserId, string? Email, DateTimeOffset PurchasedAt, DateTimeOffset? LinkedAt,
        DateTimeOffset? ConfirmedAt, DateTimeOffset? ConfirmationExpiresAt);

    public sealed record Overview(int Total, int Linked, int Confirmed, int Unused, bool Enforced, long Version, IReadOnlyList<LicenseItem> Licenses);

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
        {
            const string route = "/api/tenants/{tenant}/licenses";
            static async Task<IResult> Answer(IQuerySession session, TenantContext tenant, HttpContext http, CancellationToken ct)
            {
                var pool = await session.LoadAsync<LicensePool>(LicensePool.StreamId(tenant.Tenant), ct) ?? new LicensePool();
                int Count(LicenseStatus s) => pool.Licenses.Count(l => l.Status == s);
                return http.WithETag(pool.Version, new Overview(pool.Licenses.Count, Count(LicenseStatus.Linked), Count(LicenseStatus.Confirmed),
                    Count(LicenseStatus.Unused), pool.Enforce, pool.Version,
                    pool.Licenses.Select(l => new LicenseItem(l.Id.ToString(), l.Status.ToString().ToLowerInvariant(), l.UserId?.ToString(), l.Email, l.PurchasedAt,
                        l.LinkedAt, l.ConfirmedAt, l.TokenExpiresAt)).ToList()));
            }
            async Task<IResult> Run(Command command, IMediator mediator, IQuerySession session, TenantContext tenant, HttpContext http, CancellationToken ct)
            {
                await mediator.Send(command, ct);
                return await Answer(session, tenant, http, ct);
            }

            app.MapGet(route, Answer).WithTags("Licenses").WithName("GetLicenses").Produces<Overview>().RequireFeature(BillingModule.ViewBilling);
            app.MapPost(route + "/purchase", (PurchaseBody body, IMediator m, IQuerySession s, TenantContext t, HttpContext h, CancellationToken ct) =>
                    Run(new Command(Op.Purchase, Count: body.Count), m, s, t, h, ct))
                .WithTags("Licenses").WithName("PurchaseLicenses").Produces<Overview>().RequireFeature(BillingModule.ManageBilling);
            app.MapPut(route + "/enforcement", (EnforceBody body, IMediator m, IQuerySession s, TenantContext t, HttpContext h, CancellationToken ct) =>
                    Run(new Command(Op.Enforce, Enforce: body.Enforce), m, s, t, h, ct))
                .WithTags("Licenses").WithName("SetLicenseEnforcement").Produces<Overview>().RequireFeature(BillingModule.ManageBilling);
            app.MapPost(route + "/link", (LinkBody body, IMediator m, IQuerySession s, TenantContext t, HttpContext h, CancellationToken ct) =>
                    Run(new Command(Op.Link, UserId: body.UserId, Email: body.Email), m, s, t, h, ct))
                .WithTags("Licenses").WithName("LinkLicense").Produces<Overview>().RequireFeature(BillingModule.ManageBilling);
            app.MapPost(route + "/{id:guid}/unlink", (Guid id, IMediator m, IQuerySession s, TenantContext t, HttpContext h, CancellationToken ct) =>
                    Run(new Command(Op.Unlink, LicenseId: id), m, s, t, h, ct))
                .WithTags("Licenses").WithName("UnlinkLicense").Produces<Overview>().RequireFeature(BillingModule.ManageBilling);
            app.MapPost(route + "/{id:guid}/resend", (Guid id, IMediator m, IQuerySession s, TenantContext t, HttpContext h, CancellationToken ct) =>
                    Run(new Command(Op.Resend, LicenseId: id), m, s, t, h, ct))
                .WithTags("Licenses").WithName("ResendLicenseConfirmation").Produces<Overview>().RequireFeature(BillingModule.ManageBilling);
            // The mail's link: whoever holds the token confirms, logged in or not (the token is the proof).
            app.MapPost(route + "/confirm", async (ConfirmBody body, IMediator m, CancellationToken ct) =>
                {
                    await m.Send(new Command(Op.Confirm, Token: body.Token), ct);
                    return Results.Ok(new { confirmed = true });
                })
                .WithTags("Licenses").WithName("ConfirmLicense").AllowAnonymous().RequireRateLimiting("login");
        }
    }
}
