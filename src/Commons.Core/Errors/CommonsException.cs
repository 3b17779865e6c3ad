namespace Commons.Core.Errors;

/// <summary>Base of the domain's expected failures. The host maps each to an RFC 9457 problem document.</summary>
public abstract class CommonsException(string title, string detail) : Exception(detail)
{
    public string Title { get; } = title;
    public string Detail => Message;
}

/// <summary>The thing does not exist — or the caller may not know it exists (never 403 for hidden things).</summary>
public sealed class NotFoundException(string detail) : CommonsException("Not found", detail);

/// <summary>The caller can see the thing but may not do this to it.</summary>
public sealed class ForbiddenException(string detail) : CommonsException("Forbidden", detail);

/// <summary>A conditional write whose precondition (If-Match) no longer holds; nothing was written.</summary>
public sealed class PreconditionFailedException(string detail, long currentRevision) : CommonsException("Precondition failed", detail)
{
    public long CurrentRevision { get; } = currentRevision;
}

/// <summary>The request conflicts with what is stored (a duplicate id or slug, for example).</summary>
public sealed class ConflictException(string detail) : CommonsException("Conflict", detail);

/// <summary>Input that fails validation. Each error names the JSON path or field that failed.</summary>
public sealed class ValidationException(IReadOnlyList<FieldError> errors, string? detail = null)
    : CommonsException("Validation failed", detail ?? (errors.Count == 1 ? $"{errors[0].Path}: {errors[0].Message}" : $"{errors.Count} fields failed validation; the first: {errors[0].Path}: {errors[0].Message}"))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;

    public static ValidationException For(string path, string message) => new([new FieldError(path, message)]);
}

/// <summary>One failing field: a JSON path such as <c>$.address.city</c> (or a request field name) and what is wrong with it.</summary>
public sealed record FieldError(string Path, string Message);
