using System.Text.Json;
using FluentValidation;
using JasperFx;
using JasperFx.Events;
using Marten.Exceptions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrderStream.BuildingBlocks.Web;

namespace OrderStream.BuildingBlocks.Errors;

/// <summary>
/// Maps every exception to RFC 9457 problem details; only the unexpected ones become a 500, without internals.
/// </summary>
public sealed class ProblemDetailsExceptionHandler(
    IProblemDetailsService problems,
    ILogger<ProblemDetailsExceptionHandler> logger
) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(
        HttpContext http,
        Exception exception,
        CancellationToken cancellationToken
    )
    {
        if (exception is TooManyRequestsException t)
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(t.RetryAfter.TotalSeconds)).ToString();
        var problem = Map(exception);
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            http.Response.Headers.RetryAfter = "5";
            Telemetry.RequestsShed.Add(1);
            logger.LogWarning("The database did not answer, correlation id {CorrelationId}", http.TraceIdentifier);
        }
        // A version found stale at commit: with If-Match the client named the version it expected, so 412 as at once.
        if (
            problem.Status == StatusCodes.Status409Conflict
            && IsConcurrency(exception)
            && http.Request.Headers.IfMatch.Count > 0
        )
        {
            problem.Status = StatusCodes.Status412PreconditionFailed;
            problem.Title = "Precondition failed";
        }
        if (problem.Status == StatusCodes.Status500InternalServerError)
            logger.LogError(
                LoggedException.Safe(exception),
                "Unhandled error, correlation id {CorrelationId}",
                http.TraceIdentifier
            );
        problem.Extensions["correlationId"] = http.TraceIdentifier;
        // The exception handler middleware cleared the headers set before the failure.
        http.Response.Headers[Correlation.Header] = http.TraceIdentifier;
        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(
            new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = problem,
                Exception = exception,
            }
        );
    }

    /// <summary>
    /// Another write to the same stream committed first: a stale version, or two first writes to a new stream (a
    /// user's first roles, a first login).
    /// </summary>
    private static bool IsConcurrency(Exception e) =>
        e
            is ConcurrencyException
                or EventStreamUnexpectedMaxEventIdException
                or JasperFx.Events.ExistingStreamIdCollisionException
                or Marten.Exceptions.ExistingStreamIdCollisionException
        || e.InnerException is { } inner && IsConcurrency(inner);

    /// <summary>The problem details of an exception; also the answer of one failed row of a bulk change.</summary>
    internal static ProblemDetails Map(Exception exception)
    {
        switch (exception)
        {
            case ValidationException v:
                return Validation(
                    v.Errors.GroupBy(e => JsonFieldName(e.PropertyName))
                        .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray())
                );
            case FieldRuleException f:
                return Validation(new Dictionary<string, string[]> { [f.Field!] = [f.Message] });
            case TooManyRequestsException t:
                return Problem(StatusCodes.Status429TooManyRequests, t.Title, t.Message);
            case DomainException d:
                var status = d switch
                {
                    NotFoundException => StatusCodes.Status404NotFound,
                    ConflictException => StatusCodes.Status409Conflict,
                    PreconditionFailedException => StatusCodes.Status412PreconditionFailed,
                    PreconditionRequiredException => StatusCodes.Status428PreconditionRequired,
                    ForbiddenException => StatusCodes.Status403Forbidden,
                    UnauthorizedException => StatusCodes.Status401Unauthorized,
                    _ => StatusCodes.Status400BadRequest,
                };
                var problem = Problem(status, d.Title, d.Message);
                if (d.Field is not null)
                    problem.Extensions["errors"] = new Dictionary<string, string[]> { [d.Field] = [d.Message] };
                if (d.Extensions is { } extensions)
                    foreach (var (key, value) in extensions)
                        problem.Extensions[key] = value;
                return problem;
            case var concurrency when IsConcurrency(concurrency):
                return Problem(
                    StatusCodes.Status409Conflict,
                    "Conflict",
                    "Someone else changed this resource at the same time. Reload it and try again."
                );
            case BadHttpRequestException bad:
                return BadRequest(bad);
            case DocumentAlreadyExistsException or MartenCommandException when Unique(exception) is { } constraint:
                var field = FieldOfConstraint(constraint);
                var duplicate = Problem(
                    StatusCodes.Status409Conflict,
                    "Conflict",
                    $"{field}: this value is already used in this tenant."
                );
                duplicate.Extensions["errors"] = new Dictionary<string, string[]>
                {
                    [field] = ["This value is already used in this tenant."],
                };
                return duplicate;
            case var down when Persistence.DatabaseFaults.IsUnavailable(down):
                return Problem(
                    StatusCodes.Status503ServiceUnavailable,
                    "Service unavailable",
                    "The database does not answer. Try again in a few seconds."
                );
            default:
                return Problem(
                    StatusCodes.Status500InternalServerError,
                    "Internal error",
                    "Something went wrong on our side. Quote the correlation id if you contact support."
                );
        }
    }

    private static string? Unique(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg)
                return pg.ConstraintName ?? "";
        return null;
    }

    /// <summary>
    /// Unique indexes are named <c>ux_{document}_{field}</c> so the violated field can be named to the client.
    /// </summary>
    private static string FieldOfConstraint(string constraint)
    {
        var last = constraint.Split('_').Last();
        return string.IsNullOrEmpty(last) ? "id"
            : UniqueIndexFields.TryGetValue(last, out var field) ? field
            : last;
    }

    private static readonly Dictionary<string, string> UniqueIndexFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["email"] = "email",
        ["logincode"] = "loginCode",
        ["salespersonid"] = "salespersonId",
        ["code"] = "code",
        ["name"] = "name",
    };

    private static ProblemDetails BadRequest(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
            return Problem(bad.StatusCode, "Request too large", "The request body is larger than this endpoint takes.");
        if (bad.InnerException is JsonException json)
        {
            var field =
                string.IsNullOrEmpty(json.Path) || json.Path == "$"
                    ? "body"
                    : JsonFieldName(json.Path.TrimStart('$', '.'));
            return Validation(
                new Dictionary<string, string[]> { [field] = ["The value is not valid JSON of the expected type."] }
            );
        }
        // Minimal APIs say which parameter failed to bind, e.g. 'Failed to bind parameter "int page" from "abc".'
        var match = System.Text.RegularExpressions.Regex.Match(bad.Message, "parameter \"[^ \"]+ (?<name>[^\"]+)\"");
        return match.Success
            ? Validation(
                new Dictionary<string, string[]> { [match.Groups["name"].Value] = ["The value is not valid."] }
            )
            : Problem(bad.StatusCode, "Bad request", "The request could not be read.");
    }

    private static ProblemDetails Validation(IDictionary<string, string[]> errors) =>
        new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Validation failed",
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            Detail = "One or more fields are not valid: " + string.Join(", ", errors.Keys) + ".",
        };

    private static ProblemDetails Problem(int status, string title, string detail) =>
        new()
        {
            Status = status,
            Title = title,
            Detail = detail,
        };

    /// <summary>
    /// FluentValidation names C# members ("Contact.PostalCode"); clients know the JSON names ("contact.postalCode").
    /// </summary>
    public static string JsonFieldName(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));
}
