using Commons.Core.Errors;
using Commons.Core.Services;
using Commons.Node.Auth;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Commons.Node.Http;

/// <summary>Turns every expected failure into an RFC 9457 problem document; unexpected ones into a bare 500 (details only in the log).</summary>
public sealed class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> log) : IExceptionHandler
{
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
        switch (exception)
        {
            case ValidationException v:
                problem.Extensions["errors"] = v.Errors.Select(e => new { path = e.Path, message = e.Message }).ToList();
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
            case Federation.FederationOffException:
                problem.Extensions["code"] = Federation.FederationGate.Code;
                break;
        }
        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    public static int StatusOf(CommonsException e) => e switch
    {
        NotFoundException => 404,
        ForbiddenException => 403,
        PreconditionFailedException => 412,
        ConflictException => 409,
        ValidationException or MalformedJsonException => 400,
        RecordTooLargeException or PayloadTooLargeException => 413,
        UnsupportedMediaTypeException => 415,
        TooManyRequestsException => 429,
        Federation.FederationOffException => 503,
        UnauthenticatedException or Api.UnauthenticatedLoginException => 401,
        _ => 400,
    };
}
