namespace Commons.Core.Errors;

/// <summary>
/// Base of the domain's expected failures. The host maps each to an RFC 9457 problem document whose <c>code</c> is
/// <see cref="Code"/>: a stable snake_case name clients may branch on (the title and detail are for people and may change).
/// Each subclass has a default code; a throw site may pass a more specific one.
/// </summary>
public abstract class CommonsException(string code, string title, string detail) : Exception(detail)
{
    public string Code { get; } = code;
    public string Title { get; } = title;
    public string Detail => Message;
}

/// <summary>The thing does not exist — or the caller may not know it exists (never 403 for hidden things).</summary>
public sealed class NotFoundException(string detail, string code = ProblemCodes.NotFound) : CommonsException(code, "Not found", detail);

/// <summary>The caller can see the thing but may not do this to it.</summary>
public sealed class ForbiddenException(string detail, string code = ProblemCodes.Forbidden) : CommonsException(code, "Forbidden", detail);

/// <summary>A conditional write whose precondition (If-Match) no longer holds; nothing was written.</summary>
public sealed class PreconditionFailedException(string detail, long currentRevision, string code = ProblemCodes.PreconditionFailed)
    : CommonsException(code, "Precondition failed", detail)
{
    public long CurrentRevision { get; } = currentRevision;
}

/// <summary>The request conflicts with what is stored (a duplicate id or slug, for example).</summary>
public sealed class ConflictException(string detail, string code = ProblemCodes.Conflict) : CommonsException(code, "Conflict", detail);

/// <summary>Another node that had to answer did not (unreachable, an error, an answer too big or not what was asked): 502.</summary>
public sealed class OriginUnreachableException(string detail, string code = ProblemCodes.OriginUnreachable) : CommonsException(code, "Origin unreachable", detail);

/// <summary>Input that fails validation. Each error names the JSON path or field that failed.</summary>
public sealed class ValidationException(IReadOnlyList<FieldError> errors, string? detail = null, string code = ProblemCodes.ValidationFailed)
    : CommonsException(code, "Validation failed", detail ?? (errors.Count == 1 ? $"{errors[0].Path}: {errors[0].Message}" : $"{errors.Count} fields failed validation; the first: {errors[0].Path}: {errors[0].Message}"))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;

    public static ValidationException For(string path, string message, string code = ProblemCodes.ValidationFailed) =>
        new([new FieldError(path, message)], code: code);
}

/// <summary>One failing field: a JSON path such as <c>$.address.city</c> (or a request field name) and what is wrong with it.</summary>
public sealed record FieldError(string Path, string Message);
