using Commons.Node.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Commons.Node.Hosting.OpenApi;

/// <summary>Enum schemas list exactly the names <see cref="ExactEnumConverter"/> reads and writes.</summary>
internal static class ExactEnumSchemas
{
    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = context.JsonTypeInfo.Type;
        if (type.IsEnum)
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = ExactEnumConverter.Names(type).Select(OpenApiContract.Str).ToList();
        }
        return Task.CompletedTask;
    }
}
