using Commons.Core.Errors;
using Commons.Core.Services;
using Commons.Node.Auth;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Commons.Node.Http;

/// <summary>
/// Turns every expected failure into an RFC 9457 problem document; unexpected ones into a bare 500 (details only in the log).
/// Every problem carries a stable <c>code</c> (<see cref="ProblemCodes"/>): the exception's own, else the one its status means.
/// </summary>
public sealed class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> log) : IExceptionHandler
{
    public const string CodeField = "code";

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, title, detail) = exception switch
        {
            CommonsException e => (StatusOf(e), e.Title, e.Detail),
            BadHttpRequestException e => (e.StatusCode, e.StatusCode == 413 ? "Payload too large" : "Bad request", e.Message),
            OperationCanceledException when http.RequestAborted.IsCancellationRequested => (499, "Client closed request", "the client went away"),
            _ => (500, "Internal error", "the node could not complete the request; its log has the details"),
        };
        if (status == 500) log.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
        if (http.Response.HasStarted) return true;

        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = http.Request.Path };
        problem.Extensions[CodeField] = exception is CommonsException c ? c.Code : ProblemCodes.ForStatus(status);
        switch (exception)
        {
            case ValidationException v:
                problem.Extensions["errors"] = v.Errors.Select(e => new { path = e.Path, message = e.Message }).ToList();
                break;
            case Core.Records.BatchRefusedException b:
                problem.Extensions["errors"] = b.Errors.Select(e => new { index = e.Index, path = e.Path, code = e.Code, detail = e.Detail }).ToList();
                break;
            case Core.Kinds.RuleViolationException { Path: { } path } r:
                problem.Extensions["errors"] = new[] { new { path, message = r.Detail } };
                break;
            case PreconditionFailedException p:
                problem.Extensions["currentRevision"] = p.CurrentRevision;
                http.Response.Headers.ETag = $"\"{p.CurrentRevision}\"";
                break;
            case TooManyRequestsException t:
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(t.RetryAfter.TotalSeconds)).ToString();
                break;
            case UnauthenticatedException:
                http.Response.Headers.WWWAuthenticate = "Bearer";
                break;
        }
        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>
    /// For problems the framework or an endpoint writes itself (401 challenges, 404 of unknown routes, 405, 415,
    /// Results.Problem): a detail where there is none, and the code the status means where none was given.
    /// </summary>
    public static void Complete(ProblemDetailsContext c)
    {
        var status = c.ProblemDetails.Status ?? c.HttpContext.Response.StatusCode;
        c.ProblemDetails.Detail ??= status switch
        {
            401 => "sign in, or send a valid access token",
            403 => "this credential may not do this",
            404 => "nothing here",
            405 => $"{c.HttpContext.Request.Method} is not allowed here",
            415 => "send the body as application/json",
            _ => c.ProblemDetails.Title,
        };
        c.ProblemDetails.Extensions.TryAdd(CodeField, ProblemCodes.ForStatus(status));
    }

    public static int StatusOf(CommonsException e) => e switch
    {
        NotFoundException => 404,
        ForbiddenException => 403,
        PreconditionFailedException => 412,
        ConflictException or Core.Kinds.RuleConflictException => 409,
        Core.Kinds.RuleViolationException or Core.Records.BatchRefusedException => 422,
        ValidationException or MalformedJsonException => 400,
        RecordTooLargeException or PayloadTooLargeException or Core.Records.BatchTooLargeException => 413,
        UnsupportedMediaTypeException => 415,
        TooManyRequestsException => 429,
        Federation.FederationOffException => 503,
        OriginUnreachableException => 502,
        UnauthenticatedException or Api.UnauthenticatedLoginException => 401,
        _ => 400,
    };
}
