namespace OrderStream.Modules.Identity.Preferences;

/// <summary>
/// Saves the caller's own layout of the user list: which columns in which order, and the sort (seed 002, item 5).
/// </summary>
internal static class SaveUserListPreferences
{
    private static readonly string[] Sorts = ["lastName", "createdAt", "loginCode"];

    public sealed record Command(IReadOnlyList<string>? Columns, string? SortBy, bool? Descending)
        : ICommand<UserListPreferencesResponse>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(s => s.Columns)
                .NotEmpty()
                .Must(c => c is null || c.Distinct().Count() == c.Count)
                .WithMessage("Each column may appear once.");
            RuleForEach(s => s.Columns)
                .Must(c => UserListPreferences.Columns.Contains(c))
                .WithMessage($"Column must be one of: {string.Join(", ", UserListPreferences.Columns)}.");
            RuleFor(s => s.SortBy)
                .Must(s => s is null || Sorts.Contains(s))
                .WithMessage($"Sort must be one of: {string.Join(", ", Sorts)}.");
        }
    }

    internal sealed class Handler(IDocumentSession session, ActorContext actor)
        : IRequestHandler<Command, UserListPreferencesResponse>
    {
        public Task<UserListPreferencesResponse> Handle(Command s, CancellationToken ct)
        {
            var preferences = new UserListPreferences
            {
                Id = actor.RequireUser().UserId,
                ColumnList = [.. s.Columns!],
                SortBy = s.SortBy ?? "lastName",
                Descending = s.Descending ?? false,
            };
            session.Store(preferences);
            return Task.FromResult(UserListPreferencesResponse.From(preferences));
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPut(
                    "/api/tenants/{tenant}/me/preferences/user-list",
                    (Command command, IMediator mediator, CancellationToken ct) => mediator.Send(command, ct)
                )
                .WithTags("Preferences")
                .WithName("SaveUserListPreferences")
                .WithSummary("Save my user-list layout")
                .WithDescription("Stores the caller's columns, order and page size for the user list.")
                .RequireAuthorization();
    }
}
