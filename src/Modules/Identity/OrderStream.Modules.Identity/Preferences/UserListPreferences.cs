namespace OrderStream.Modules.Identity.Preferences;

/// <summary>Each administrator's own layout of the user list: which columns, in which order (seed 002, item 5).</summary>
internal sealed class UserListPreferences
{
    public static readonly string[] Columns =
        ["firstName", "lastName", "email", "loginCode", "type", "isActive", "language", "phone", "city", "needsAssignment", "createdAt"];

    public static readonly UserListPreferences Default = new() { ColumnList = ["firstName", "lastName", "loginCode", "email", "type", "isActive"] };

    public Guid Id { get; set; }
    public List<string> ColumnList { get; set; } = [];
    public string SortBy { get; set; } = "lastName";
    public bool Descending { get; set; }
}

internal static class UserListPreferencesSlice
{
    public sealed record Body(IReadOnlyList<string>? Columns, string? SortBy, bool? Descending);

    public sealed record Response(IReadOnlyList<string> Columns, string SortBy, bool Descending);

    public sealed record Save(IReadOnlyList<string>? Columns, string? SortBy, bool? Descending) : ICommand<Response>;

    public sealed class Validator : AbstractValidator<Save>
    {
        private static readonly string[] Sorts = ["lastName", "createdAt", "loginCode"];

        public Validator()
        {
            RuleFor(s => s.Columns).NotEmpty().Must(c => c is null || c.Distinct().Count() == c.Count).WithMessage("Each column may appear once.");
            RuleForEach(s => s.Columns).Must(c => UserListPreferences.Columns.Contains(c))
                .WithMessage($"Column must be one of: {string.Join(", ", UserListPreferences.Columns)}.");
            RuleFor(s => s.SortBy).Must(s => s is null || Sorts.Contains(s)).WithMessage($"Sort must be one of: {string.Join(", ", Sorts)}.");
        }
    }

    internal sealed class Handler(IDocumentSession session, ActorContext actor) : IRequestHandler<Save, Response>
    {
        public Task<Response> Handle(Save s, CancellationToken ct)
        {
            var preferences = new UserListPreferences
            {
                Id = actor.RequireUser().UserId, ColumnList = s.Columns!.ToList(), SortBy = s.SortBy ?? "lastName", Descending = s.Descending ?? false,
            };
            session.Store(preferences);
            return Task.FromResult(new Response(preferences.ColumnList, preferences.SortBy, preferences.Descending));
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
        {
            app.MapGet("/api/tenants/{tenant}/me/preferences/user-list", async (ActorContext actor, IQuerySession session, CancellationToken ct) =>
                {
                    var p = await session.LoadAsync<UserListPreferences>(actor.RequireUser().UserId, ct) ?? UserListPreferences.Default;
                    return new Response(p.ColumnList, p.SortBy, p.Descending);
                })
                .WithTags("Preferences").WithName("GetUserListPreferences").RequireAuthorization();
            app.MapPut("/api/tenants/{tenant}/me/preferences/user-list", (Body body, IMediator mediator, CancellationToken ct) =>
                    mediator.Send(new Save(body.Columns, body.SortBy, body.Descending), ct))
                .WithTags("Preferences").WithName("SaveUserListPreferences").RequireAuthorization();
        }
    }
}
