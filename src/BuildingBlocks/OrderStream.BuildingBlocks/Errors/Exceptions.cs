namespace OrderStream.BuildingBlocks.Errors;

/// <summary>A refusal the client caused; the exception handler turns it into problem details.</summary>
public abstract class DomainException(string title, string detail, string? field = null) : Exception(detail)
{
    public string Title { get; } = title;
    public string? Field { get; } = field;

    /// <summary>More members of the problem details (e.g. the holders of a role that cannot be deleted).</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }
}

public sealed class NotFoundException(string what, string id)
    : DomainException("Not found", $"{what} '{id}' does not exist.")
{
    /// <summary>The id or code that named nothing: a command that took it from a field can say which.</summary>
    public string Id { get; } = id;
}

public sealed class ConflictException(string detail, string? field = null) : DomainException("Conflict", detail, field);

public sealed class PreconditionFailedException(string detail) : DomainException("Precondition failed", detail);

/// <summary>A change that must say which version it was made on, and did not (RFC 6585: 428).</summary>
public sealed class PreconditionRequiredException(string detail) : DomainException("Precondition required", detail);

public sealed class ForbiddenException(string detail, string? field = null)
    : DomainException("Forbidden", detail, field);

public sealed class UnauthorizedException(string detail) : DomainException("Unauthorized", detail);

public sealed class TooManyRequestsException(string detail, TimeSpan retryAfter)
    : DomainException("Too many requests", detail)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// A rule about one field that needs the database to check (uniqueness, links): answered as a 400 naming the field.
/// </summary>
public sealed class FieldRuleException(string field, string detail)
    : DomainException("Validation failed", detail, field);
