namespace OrderStream.Modules.Billing.Licenses;

/// <summary>
/// The confirmation mail outbox, newest first (500 at most): queued, retrying with the last error, sent, cancelled.
/// </summary>
internal static class GetLicenseMail
{
    public const int Shown = 500;

    public sealed record Query : IQuery<IReadOnlyList<MailItem>>;

    public sealed record MailItem(
        string Id,
        string LicenseId,
        string To,
        string Status,
        int Attempts,
        DateTimeOffset QueuedAt,
        DateTimeOffset? SentAt,
        DateTimeOffset? NextAttemptAt,
        string? LastError
    );

    internal sealed class Handler(IQuerySession session) : IRequestHandler<Query, IReadOnlyList<MailItem>>
    {
        public async Task<IReadOnlyList<MailItem>> Handle(Query q, CancellationToken ct) =>
            [
                .. (
                    await session.Query<OutboxMail>().OrderByDescending(m => m.QueuedAt).Take(Shown).ToListAsync(ct)
                ).Select(m => new MailItem(
                    m.Id.ToString(),
                    m.LicenseId.ToString(),
                    m.To,
                    Status(m),
                    m.Attempts,
                    m.QueuedAt,
                    m.SentAt,
                    m.SentAt is null && !m.Cancelled ? m.NextAttemptAt : null,
                    m.LastError
                )),
            ];

        private static string Status(OutboxMail m) =>
            m.SentAt is not null ? "sent"
            : m.Cancelled ? "cancelled"
            : m.Attempts == 0 ? "queued"
            : "retrying";
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet("/api/tenants/{tenant}/licenses/mail", (IMediator mediator, CancellationToken ct) =>
                    mediator.Send(new Query(), ct)
                )
                .WithTags("Licenses")
                .WithName("GetLicenseMail")
                .WithSummary("Read the license mails")
                .WithDescription("The confirmation mails sent for licenses and whether they were delivered.")
                .RequireFeature(BillingModule.ViewBilling);
    }
}
