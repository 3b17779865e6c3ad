using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Commons.Node.Hosting.OpenApi;

/// <summary>
/// The OpenAPI document at /openapi/v1.json, made to say exactly what the node does. What holds for whole classes of
/// operations (credentials, bodies, path ids, preconditions) is added here once; what one endpoint does alone
/// (201, 204, 304, 409) is declared on the endpoint.
/// </summary>
public static class OpenApiContract
{
    public const string ProblemSchema = "ProblemDetails";
    public const string JwtScheme = "bearer";
    public const string AccessTokenScheme = "accessToken";

    /// <summary>The document's services, in the container <see cref="OpenApiDocumentServer"/> builds on the first document request.</summary>
    /// <param name="nodeServices">Which of an endpoint's parameters the node fills from its services (those are not in the document).</param>
    internal static IServiceCollection AddCommonsOpenApi(this IServiceCollection services, IServiceProviderIsService nodeServices) =>
        DocumentedEndpoints.DescribeEveryModule(services.AddOpenApi(o =>
        {
            o.AddSchemaTransformer(ExactEnumSchemas.TransformAsync);
            o.AddOperationTransformer(OperationResponses.TransformAsync);
            o.AddOperationTransformer(RecordQueryParameters.TransformAsync);
            o.AddDocumentTransformer((doc, _, _) =>
            {
                doc.Info.Title = "Commons Node API";
                doc.Info.Description = "The member API of a Commons Node: datasets, records, members and tokens. "
                    + "Every error is an RFC 9457 problem document (application/problem+json).";
                doc.Components ??= new OpenApiComponents();
                doc.Components.SecuritySchemes = SecuritySchemes();
                doc.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
                doc.Components.Schemas[ProblemSchema] = Problem();
                NullableSchemas.MakeNullableRequestFieldsOptional(doc);
                NullableSchemas.UseAnyOf(doc);
                return Task.CompletedTask;
            });
        }), nodeServices);

    /// <summary>
    /// Marks an endpoint that any signed-in caller may use (reads decided by visibility, which hides with 404 and never
    /// forbids), so that its document lists no 403.
    /// </summary>
    public static TBuilder ForAnySignedInCaller<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(AnySignedInCaller.Instance);

    private static Dictionary<string, IOpenApiSecurityScheme> SecuritySchemes() => new()
    {
        [JwtScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
            Description = "The access token from POST /api/auth/login or /api/auth/refresh (short-lived, HS256).",
        },
        [AccessTokenScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "cnpat",
            Description = "A personal access token (cnpat_…) from POST /api/tokens, sent as a bearer token; its scopes bound what it may do.",
        },
    };

    /// <summary>RFC 9457 as this node writes it: the standard members, the trace id, and the extensions some errors carry.</summary>
    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 9457 problem document.",
        Required = new HashSet<string> { "title", "status" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("A URI reference naming the kind of problem."),
            ["title"] = Text("A short summary of the kind of problem."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code." },
            ["detail"] = Text("What went wrong this time, for people."),
            ["instance"] = Text("The path of the request."),
            ["traceId"] = Text("The request's trace identifier, as in the node's log."),
            ["code"] = Text("A stable machine-readable code for the problem."),
            ["currentRevision"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer, Format = "int64",
                Description = "412 only: the current revision of what If-Match named.",
            },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "400 from validation: one entry per invalid input.",
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { "path", "message" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["path"] = Text("Where: a JSON path, a query parameter or a header."),
                        ["message"] = Text("What is expected there."),
                    },
                    AdditionalPropertiesAllowed = false,
                },
            },
        },
        AdditionalPropertiesAllowed = false,
    };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    internal static JsonNode Str(string value) => JsonValue.Create(value);
}

/// <summary>Endpoint metadata: being signed in is all this operation asks (see <see cref="OpenApiContract.ForAnySignedInCaller"/>).</summary>
public sealed class AnySignedInCaller
{
    public static readonly AnySignedInCaller Instance = new();
    private AnySignedInCaller() { }
}
