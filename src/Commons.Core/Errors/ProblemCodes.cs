namespace Commons.Core.Errors;

/// <summary>
/// Every <c>code</c> a problem document of this node can carry. docs/problems.md lists the same set with its statuses
/// (a test keeps the two equal), so a client can rely on a code not changing meaning.
/// </summary>
public static class ProblemCodes
{
    public const string BadRequest = "bad_request";
    public const string ValidationFailed = "validation_failed";
    public const string MalformedJson = "malformed_json";
    public const string JsonTooDeep = "json_too_deep";
    public const string DuplicateKey = "duplicate_key";
    public const string InvalidUnicode = "invalid_unicode";
    public const string InvalidCursor = "invalid_cursor";
    public const string InvalidParameter = "invalid_parameter";
    public const string NotAnActivity = "not_an_activity";
    public const string NotADataset = "not_a_dataset";
    public const string InvitationClosed = "invitation_closed";
    public const string Unauthenticated = "unauthenticated";
    public const string InvalidCredentials = "invalid_credentials";
    public const string SignatureInvalid = "signature_invalid";
    public const string Forbidden = "forbidden";
    public const string SetupCodeInvalid = "setup_code_invalid";
    public const string DomainBlocked = "domain_blocked";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string Conflict = "conflict";
    public const string PreconditionFailed = "precondition_failed";
    public const string PayloadTooLarge = "payload_too_large";
    public const string RecordTooLarge = "record_too_large";
    public const string UriTooLong = "uri_too_long";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string HeadersTooLarge = "headers_too_large";
    public const string TooManyRequests = "too_many_requests";
    public const string ClientClosedRequest = "client_closed_request";
    public const string InternalError = "internal_error";
    public const string OriginUnreachable = "origin_unreachable";
    public const string NotReady = "not_ready";
    public const string StoreTooNew = "store_too_new";
    public const string PublicUrlMissing = "public_url_missing";
    public const string HttpVersionNotSupported = "http_version_not_supported";
    public const string UnknownKind = "unknown_kind";
    public const string KindSchemaFixed = "kind_schema_fixed";
    public const string RuleBroken = "rule_broken";
    public const string KindUnavailable = "kind_unavailable";
    public const string ExchangeNotPending = "exchange_not_pending";
    public const string RequestUnsupported = "request_unsupported";
    public const string RequestRefused = "request_refused";
    public const string ModuleOff = "module_off";
    public const string BatchRefused = "batch_refused";
    public const string BatchTooLarge = "batch_too_large";
    public const string DuplicateId = "duplicate_id";
    public const string CsvInvalid = "csv_invalid";

    /// <summary>The code of a problem that no more specific failure named: the one its status means.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => BadRequest,
        401 => Unauthenticated,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => Conflict,
        412 => PreconditionFailed,
        413 => PayloadTooLarge,
        414 => UriTooLong,
        415 => UnsupportedMediaType,
        422 => RuleBroken,
        429 => TooManyRequests,
        431 => HeadersTooLarge,
        499 => ClientClosedRequest,
        502 => OriginUnreachable,
        503 => NotReady,
        505 => HttpVersionNotSupported,
        _ when status >= 500 => InternalError,
        _ => BadRequest,
    };
}
