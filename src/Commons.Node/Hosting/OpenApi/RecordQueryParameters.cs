using Commons.Core.Records;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Commons.Node.Hosting.OpenApi;

/// <summary>
/// The record listing reads its query string itself (RecordQueryParser), so its parameters are described here, for the
/// endpoint that carries <see cref="Described"/>. A document-wide transformer that looks for that metadata, not one added
/// to the endpoint (AddOpenApiOperationTransformer): that would load the OpenAPI assemblies with the node's routes, though
/// most nodes are never asked for the document (<see cref="OpenApiDocumentServer"/>).
/// </summary>
public static class RecordQueryParameters
{
    /// <summary>Endpoint metadata: this endpoint takes the record query (q, sort, limit, cursor, filter.*).</summary>
    public static readonly object Described = new RecordQuery();

    public static Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.Contains(Described)) return Task.CompletedTask;
        var limits = context.ApplicationServices.GetRequiredService<RecordLimits>();
        operation.Parameters ??= [];
        operation.Parameters.Add(Query("q", "Full-text search, accent- and case-insensitive; up to 10 words, all must match.", new OpenApiSchema { Type = JsonSchemaType.String }));
        operation.Parameters.Add(Query("sort", "id, createdAt, updatedAt, revision or a data field path (name, address.city); a leading '-' sorts descending.",
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = @"^[-+]?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$" }));
        operation.Parameters.Add(Query("limit", $"Records per page (default {limits.DefaultPageSize}).",
            new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = limits.MaxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        operation.Parameters.Add(Query("cursor", "The `next` of the previous page.", new OpenApiSchema { Type = JsonSchemaType.String }));
        // One form-exploded object: each property is a query parameter of its own, filter.{field path}=value.
        var filter = Query("filter", "Equality filters, one query parameter per field: filter.{field path}=value (e.g. filter.city=Gent); "
            + "the value is read as the dataset's schema types the field (integer, number, boolean or string).",
            new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                PropertyNames = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = @"^filter\.[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$" },
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        filter.Style = ParameterStyle.Form;
        filter.Explode = true;
        operation.Parameters.Add(filter);
        return Task.CompletedTask;
    }

    private static OpenApiParameter Query(string name, string description, OpenApiSchema schema) =>
        new() { Name = name, In = ParameterLocation.Query, Required = false, Description = description, Schema = schema };


    private sealed class RecordQuery;
}
