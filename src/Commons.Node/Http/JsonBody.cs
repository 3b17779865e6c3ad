using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Json;
using Commons.Core.Records;
using Microsoft.AspNetCore.Http.Features;

namespace Commons.Node.Http;

/// <summary>
/// Reads a JSON request body with precise errors: 415 for another content type, 400 for malformed or truncated JSON,
/// invalid UTF-8 or lone surrogates, duplicate keys, nesting deeper than the limit or unknown fields, 413 over the size limit. Nothing is stored before this succeeds.
/// </summary>
public static class JsonBody
{
    public static async Task<T> ReadAsync<T>(HttpContext http, CancellationToken ct = default)
    {
        using var doc = await ReadDocumentAsync(http, ct);
        try
        {
            return doc.RootElement.Deserialize<T>(ApiJson.Options) ?? throw ValidationException.For("$", "a JSON object is required");
        }
        catch (JsonException e)
        {
            var path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
            var message = e.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "unknown field" : Simplify(e.Message);
            throw ValidationException.For(path, message);
        }
    }

    public static Task<JsonDocument> ReadDocumentAsync(HttpContext http, CancellationToken ct = default) => ReadDocumentAsync(http, null, ct);

    /// <summary>The body as a document; <paramref name="maxDepth"/> for an envelope that wraps records (a batch) deeper than one record.</summary>
    public static async Task<JsonDocument> ReadDocumentAsync(HttpContext http, int? maxDepth, CancellationToken ct = default)
    {
        var contentType = http.Request.ContentType ?? "";
        var mediaType = contentType.Split(';')[0].Trim();
        if (!mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) && !mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
            throw new UnsupportedMediaTypeException($"send the body as application/json (got '{(contentType.Length == 0 ? "no content type" : contentType)}')");
        var limits = http.RequestServices.GetRequiredService<RecordLimits>();
        var maxBody = http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (http.Request.ContentLength is { } length && maxBody is { } max && length > max)
            throw new PayloadTooLargeException($"the body is {length} bytes; the limit is {max}");
        try
        {
            // Buffered first: System.Text.Json checks the UTF-8 of strings only when they are read, which would be a 500 later.
            var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, ct);
            return StrictJson.TryParse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), maxDepth ?? limits.MaxJsonDepth, out var error)
                ?? throw Refusal(error!);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new PayloadTooLargeException($"the body is larger than the limit of {maxBody} bytes");
        }
    }

    private static CommonsException Refusal(StrictJsonError error) => error.Code switch
    {
        // A bad name or text is a field's fault: name the field as validation errors do.
        ProblemCodes.InvalidUnicode or ProblemCodes.DuplicateKey when error.Path is not null =>
            new ValidationException([new FieldError(error.Path, error.Message)], code: error.Code),
        _ => new MalformedJsonException(error.Path is null ? error.Message : $"{error.Path}: {error.Message}", error.Code),
    };

    private static string Simplify(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}

public sealed class UnsupportedMediaTypeException(string detail) : CommonsException(ProblemCodes.UnsupportedMediaType, "Unsupported media type", detail);
public sealed class PayloadTooLargeException(string detail) : CommonsException(ProblemCodes.PayloadTooLarge, "Payload too large", detail);
public sealed class MalformedJsonException(string detail, string code = ProblemCodes.MalformedJson) : CommonsException(code, "Malformed JSON", detail);
public sealed class TooManyRequestsException(string detail, TimeSpan retryAfter) : CommonsException(ProblemCodes.TooManyRequests, "Too many requests", detail)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
