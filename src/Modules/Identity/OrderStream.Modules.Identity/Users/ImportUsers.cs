using Microsoft.Extensions.DependencyInjection;
using OrderStream.Modules.Roles.Contracts;
using OrderStream.Modules.SalePoints.Contracts;

namespace OrderStream.Modules.Identity.Users;

/// <summary>
/// New users from a spreadsheet (issue #6): a CSV file with a header row, one user per row, optionally with their
/// roles, sale points (each with the role there) and stores. Each row is created in one transaction with everything it
/// names, or not at all, by the rules of creating one user and giving one role; the answer says row by row what was
/// created or why not. With <c>dryRun=true</c> nothing is stored. Credentials are not imported (ADR 0016): an
/// administrator sets them.
/// </summary>
internal static class ImportUsers
{
    public const int MaxBytes = 2 * 1024 * 1024;

    /// <summary>
    /// The columns a file may have, as the JSON of a single user names them; the first three are required.
    /// </summary>
    public static readonly string[] Columns =
    [
        "firstName",
        "lastName",
        "loginCode",
        "email",
        "type",
        "language",
        "roles",
        "salePoints",
        "stores",
    ];

    private const char ListSeparator = '|';

    public sealed record Command(bool DryRun, IReadOnlyList<string> Header, IReadOnlyList<Csv.Record> Rows)
        : ICommand<BulkResult>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Header)
                .Custom(
                    (header, context) =>
                    {
                        var unknown = header
                            .Where(h => !Columns.Contains(h, StringComparer.OrdinalIgnoreCase))
                            .ToList();
                        if (unknown.Count > 0)
                            context.AddFailure(
                                "columns",
                                $"Unknown column{(unknown.Count > 1 ? "s" : "")} "
                                    + $"{string.Join(", ", unknown.Select(u => $"'{u}'"))}; "
                                    + $"the columns are: {string.Join(", ", Columns)}."
                            );
                        foreach (
                            var missing in Columns
                                .Take(3)
                                .Where(r => !header.Contains(r, StringComparer.OrdinalIgnoreCase))
                        )
                            context.AddFailure("columns", $"The header needs a '{missing}' column.");
                        foreach (
                            var twice in header
                                .GroupBy(h => h, StringComparer.OrdinalIgnoreCase)
                                .Where(g => g.Count() > 1)
                        )
                            context.AddFailure("columns", $"The column '{twice.Key}' is there twice.");
                    }
                );
            RuleFor(c => c.Rows)
                .NotEmpty()
                .WithMessage("The file has a header but no users.")
                .Must(r => r.Count <= BulkRows.MaxRows)
                .WithMessage($"At most {BulkRows.MaxRows} users in one file.")
                .OverridePropertyName("body");
        }
    }

    internal sealed class Handler(BulkRows rows, IQuerySession session, IMediator mediator)
        : IRequestHandler<Command, BulkResult>
    {
        public async Task<BulkResult> Handle(Command c, CancellationToken ct)
        {
            var index = c
                .Header.Select((h, i) => (h, i))
                .ToDictionary(x => x.h, x => x.i, StringComparer.OrdinalIgnoreCase);
            var names = new Names(
                (await mediator.Send(new ListRoles(), ct)).ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase),
                (await mediator.Send(new GetLocations(), ct))
                    .ToLookup(l => l.IsStore)
                    .ToDictionary(g => g.Key, g => g.ToDictionary(l => l.Code, StringComparer.OrdinalIgnoreCase))
            );
            // A login code or e-mail twice in the file: rows after the one created with it are refused (a dry run would
            // not see it otherwise).
            var firstRowOf = new Dictionary<string, int>();
            var results = new List<RowResult>(c.Rows.Count);
            foreach (var row in c.Rows)
                results.Add(
                    await rows.RunAsync(
                        row.Line,
                        null,
                        c.DryRun,
                        (services, token) => CreateAsync(services, c, index, names, firstRowOf, row, token),
                        ct
                    )
                );
            return BulkRows.Summary(c.DryRun, results);
        }

        private async Task<(Guid, IReadOnlyList<string>)> CreateAsync(
            IServiceProvider services,
            Command c,
            Dictionary<string, int> index,
            Names names,
            Dictionary<string, int> firstRowOf,
            Csv.Record row,
            CancellationToken ct
        )
        {
            if (row.Fields.Count != c.Header.Count)
                throw new FieldRuleException(
                    "row",
                    $"This row has {row.Fields.Count} fields; the header has {c.Header.Count}."
                );
            string? Field(string column) =>
                index.TryGetValue(column, out var i) && row.Fields[i].Trim() is { Length: > 0 } v ? v : null;

            var (login, email) = (Field("loginCode") ?? "", Field("email"));
            var (loginKey, emailKey) = (login.ToLowerInvariant(), email?.ToLowerInvariant());
            (string Field, string What, string Value)[] unique = email is null
                ? [("loginCode", "login code", login)]
                : [("loginCode", "login code", login), ("email", "e-mail", email)];
            foreach (var (field, what, value) in unique)
                if (firstRowOf.TryGetValue($"{field}:{value.ToLowerInvariant()}", out var first))
                    throw new ConflictException($"The {what} '{value}' is also on row {first} of this file.", field);
            if (await session.Query<User>().AnyAsync(u => u.LoginKey == loginKey, ct))
                throw new ConflictException($"The login code '{login}' is already used in this tenant.", "loginCode");
            if (emailKey is not null && await session.Query<User>().AnyAsync(u => u.EmailKey == emailKey, ct))
                throw new ConflictException($"The e-mail '{email}' is already used in this tenant.", "email");

            var roles = List(Field("roles")).Select(n => names.Role(n, "roles")).ToList();
            var salePoints = List(Field("salePoints"))
                .Select(entry =>
                {
                    var colon = entry.IndexOf(':');
                    if (colon <= 0)
                        throw new FieldRuleException(
                            "salePoints",
                            $"'{entry}': write each sale point as CODE:Role name, e.g. SP01:Cashier."
                        );
                    return new SalePointToAdd(
                        names.Location(false, entry[..colon].Trim(), "salePoints").Id,
                        names.Role(entry[(colon + 1)..].Trim(), "salePoints").RoleId
                    );
                })
                .ToList();
            var stores = List(Field("stores")).Select(code => names.Location(true, code, "stores").Id).ToList();

            var mediator = services.GetRequiredService<IMediator>();
            var user = await mediator.Send(
                new RegisterUser.Command(
                    Field("firstName") ?? "",
                    Field("lastName") ?? "",
                    email,
                    login,
                    Field("language"),
                    null,
                    null,
                    null,
                    null,
                    null,
                    Type(Field("type")),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null
                ),
                ct
            );
            var changes = new List<string>
            {
                $"user {User.EmployeeName(user.FirstName, user.LastName)} ({user.LoginCode}) created",
            };
            if (roles.Count > 0)
                changes.AddRange(
                    await mediator.Send(
                        new ChangeUserRights(user.Id, true, [.. roles.Select(r => new RoleToGive(r.RoleId))], []),
                        ct
                    )
                );
            if (salePoints.Count > 0 || stores.Count > 0)
                changes.AddRange(
                    await mediator.Send(new ChangeUserLocations(user.Id, true, salePoints, [], stores, []), ct)
                );
            // Only a row that is (or would be) created takes its login code and e-mail from the rows after it.
            foreach (var (field, _, value) in unique)
                firstRowOf[$"{field}:{value.ToLowerInvariant()}"] = row.Line;
            return (user.Id, changes);
        }

        private static IEnumerable<string> List(string? value) =>
            value
                ?.Split(ListSeparator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Distinct(StringComparer.OrdinalIgnoreCase)
            ?? [];

        /// <summary>
        /// By name, with or without spaces ("Account Executive"); never by number, as Enum.Parse would take "0".
        /// </summary>
        private static BackOfficeUserType? Type(string? value) =>
            value is null ? null
            : Enum.GetNames<BackOfficeUserType>()
                .FirstOrDefault(n => n.Equals(value.Replace(" ", ""), StringComparison.OrdinalIgnoreCase))
                is { } name
                ? Enum.Parse<BackOfficeUserType>(name)
            : throw new FieldRuleException(
                "type",
                $"'{value}' is not a back-office user type; the types are: "
                    + $"{string.Join(", ", Enum.GetNames<BackOfficeUserType>())}."
            );
    }

    /// <summary>The tenant's roles by name and sale points and stores by code, read once per file.</summary>
    private sealed record Names(
        Dictionary<string, RoleFacts> Roles,
        Dictionary<bool, Dictionary<string, LocationFacts>> Locations
    )
    {
        public RoleFacts Role(string name, string field) =>
            Roles.TryGetValue(name, out var role)
                ? role
                : throw new FieldRuleException(field, $"There is no role named '{name}'.");

        public LocationFacts Location(bool isStore, string code, string field) =>
            Locations.TryGetValue(isStore, out var byCode) && byCode.TryGetValue(code, out var location)
                ? location
                : throw new FieldRuleException(
                    field,
                    $"There is no {(isStore ? "store" : "sale point")} with the code '{code}'."
                );
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/users/import",
                    async (bool? dryRun, HttpRequest request, IMediator mediator, CancellationToken ct) =>
                    {
                        var text = await ReadAsync(request, ct);
                        if (text.IndexOf('\0') is var nul and >= 0)
                            throw new FieldRuleException(
                                "body",
                                $"Line {text.AsSpan(0, nul).Count('\n') + 1}: the file holds a NUL character."
                            );
                        var records = Csv.Read(text);
                        if (records.Count == 0)
                            throw new FieldRuleException(
                                "body",
                                "Send a CSV file: a header row, then one user per row."
                            );
                        return await mediator.Send(
                            new Command(
                                dryRun ?? false,
                                [.. records[0].Fields.Select(f => f.Trim())],
                                [.. records.Skip(1)]
                            ),
                            ct
                        );
                    }
                )
                .WithTags("Users")
                .WithName("ImportUsers")
                .WithSummary("Import users from CSV")
                .WithDescription(
                    "One row per user (create or change by login code), each row its own transaction; "
                        + "`dryRun` writes nothing. Rows are reported one by one; a refused row does not stop the "
                        + "others."
                )
                .Accepts<string>("text/csv")
                .Produces<BulkResult>()
                .ProducesValidationProblem()
                .WithBodyLimit(MaxBytes + 64 * 1024)
                .RequireFeature(IdentityModule.ManageUsers);

        private static async Task<string> ReadAsync(HttpRequest request, CancellationToken ct)
        {
            if (request.ContentLength > MaxBytes)
                throw TooLarge();
            using var reader = new StreamReader(
                request.Body,
                System.Text.Encoding.UTF8,
                detectEncodingFromByteOrderMarks: true
            );
            var buffer = new char[MaxBytes + 1];
            var read = 0;
            while (read < buffer.Length && await reader.ReadAsync(buffer.AsMemory(read), ct) is var n and > 0)
                read += n;
            return read > MaxBytes ? throw TooLarge() : new string(buffer, 0, read);
        }

        private static FieldRuleException TooLarge() =>
            new(
                "body",
                $"The file is larger than {MaxBytes / 1024 / 1024} MB: split it (at most {BulkRows.MaxRows} users per "
                    + $"file)."
            );
    }
}
