using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Commons.Node.Hosting.OpenApi;

/// <summary>
/// The answers every operation of a kind can give, added once: a credential (401, the security requirement, and 403
/// unless any signed-in caller may),
/// a JSON body (400, 413, 415), a path id (404), typed query parameters (400), If-Match (400, 412), If-None-Match (304).
/// Every error answer is a problem document; a 201 says where (Location), a 429 when to come back (Retry-After).
/// </summary>
internal static class OperationResponses
{
    public static Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= new OpenApiResponses();
        operation.Parameters ??= [];
        operation.OperationId ??= OperationId(description.HttpMethod ?? "", description.RelativePath ?? "");

        var authenticated = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        if (authenticated)
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApiContract.JwtScheme, context.Document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApiContract.AccessTokenScheme, context.Document)] = [] },
            ];
            Add(operation, 401, "No credential, or one that is expired, revoked or of a disabled member.");
            if (!metadata.OfType<AnySignedInCaller>().Any())
                Add(operation, 403, "The credential may not do this (role, dataset grant or token scope).");
        }
        if (operation.RequestBody is not null)
        {
            Add(operation, 400, "The body is malformed JSON, has unknown fields, or does not validate.");
            Add(operation, 413, "The body is larger than the node accepts.");
            Add(operation, 415, "The body is not application/json.");
        }
        if (metadata.OfType<Modules.ModuleEndpoint>().Any())
            Add(operation, 404, "The module is off on this node, or nothing here the caller may know of.");
        if (description.ParameterDescriptions.Any(p => p.Source == BindingSource.Path))
            Add(operation, 404, "Nothing with this id, or nothing the caller may know of.");
        if (operation.Parameters.Any(p => p.In == ParameterLocation.Query))
            Add(operation, 400, "A query parameter is not of its documented type or range.");
        if (operation.Responses.ContainsKey("412"))
        {
            Add(operation, 400, "If-Match is not an ETag this node gave out.");
            operation.Parameters.Add(Header("If-Match", "Write only if the current revision has this ETag (e.g. \"3\"); otherwise 412 and nothing is written."));
        }
        if (operation.Responses.ContainsKey("304"))
            operation.Parameters.Add(Header("If-None-Match", "An ETag the client holds; 304 when it is still current."));

        foreach (var (status, response) in operation.Responses)
        {
            if (response is not OpenApiResponse r) continue;
            if (status.Length == 3 && status[0] is '4' or '5') r.Content = ProblemContent(context.Document);
            if (status == "201") AddHeader(r, "Location", "Where the new resource is.");
            if (status == "429") AddHeader(r, "Retry-After", "Seconds to wait before trying again.");
        }
        return Task.CompletedTask;
    }

    /// <summary>A stable name from method and route, for generated clients: GET api/datasets/{slug}/records → getDatasetsBySlugRecords.</summary>
    internal static string OperationId(string method, string route)
    {
        // A segment may hold a parameter and a suffix ({member}.xml): each part named on its own, so the name stays a
        // plain identifier (letters and digits only, valid in a URL).
        var words = route.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != "api")
            .SelectMany(s => System.Text.RegularExpressions.Regex.Split(s, @"(\{[^}]*\})").Where(p => p.Length > 0))
            .Select(p => p.StartsWith('{') ? "By" + Pascal(p.Trim('{', '}')) : Pascal(p));
        return method.ToLowerInvariant() + string.Concat(words);

        static string Pascal(string s) => string.Concat(s.Split('-', '.', '_').Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
    }

    private static void Add(OpenApiOperation operation, int status, string description)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.TryGetValue(key, out var existing) && existing is OpenApiResponse r)
        {
            // Framework defaults ("Bad Request") say less than ours; a description set on the endpoint is kept.
            if (string.IsNullOrEmpty(r.Description) || r.Description == Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status))
                r.Description = description;
            return;
        }
        operation.Responses[key] = new OpenApiResponse { Description = description };
    }

    private static void AddHeader(OpenApiResponse response, string name, string description)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
    }

    private static Dictionary<string, OpenApiMediaType> ProblemContent(OpenApiDocument? document) => new()
    {
        ["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(OpenApiContract.ProblemSchema, document) },
    };

    private static OpenApiParameter Header(string name, string description) => new()
    {
        Name = name, In = ParameterLocation.Header, Required = false, Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };
}
