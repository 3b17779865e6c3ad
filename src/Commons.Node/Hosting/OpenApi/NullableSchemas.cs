using Microsoft.OpenApi;

namespace Commons.Node.Hosting.OpenApi;

/// <summary>How the document says "may be null" and "may be left out".</summary>
internal static class NullableSchemas
{
    /// <summary>
    /// In a request, null means "not given" (see Dtos.cs), so a nullable field is optional; responses always carry
    /// every field, nulls included, so their nullable fields stay required.
    /// </summary>
    public static void MakeNullableRequestFieldsOptional(OpenApiDocument doc)
    {
        var schemas = doc.Components?.Schemas;
        if (schemas is null) return;
        var seen = new HashSet<string>();
        var pending = new Stack<IOpenApiSchema>();
        foreach (var operation in doc.Paths.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
            foreach (var media in operation.RequestBody?.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>())
                if (media.Schema is not null) pending.Push(media.Schema);

        while (pending.TryPop(out var schema))
        {
            if (schema is OpenApiSchemaReference reference)
            {
                if (reference.Reference.Id is { } id && seen.Add(id) && schemas.TryGetValue(id, out var target)) pending.Push(target);
                continue;
            }
            if (schema is not OpenApiSchema s) continue;
            foreach (var (name, property) in s.Properties ?? new Dictionary<string, IOpenApiSchema>())
            {
                if (IsNullable(property)) s.Required?.Remove(name);
                pending.Push(property);
            }
            foreach (var child in Children(s)) pending.Push(child);
        }
    }

    /// <summary>
    /// "null or X" as anyOf rather than oneOf: where X accepts anything (a JsonElement), null matches both branches and
    /// oneOf would refuse the very null it means to allow.
    /// </summary>
    public static void UseAnyOf(OpenApiDocument doc)
    {
        foreach (var schema in doc.Components?.Schemas?.Values ?? Enumerable.Empty<IOpenApiSchema>())
            Visit(schema, new HashSet<OpenApiSchema>(ReferenceEqualityComparer.Instance));

        static void Visit(IOpenApiSchema schema, HashSet<OpenApiSchema> seen)
        {
            if (schema is not OpenApiSchema s || !seen.Add(s)) return;
            if (s.OneOf is { Count: 2 } one && one.Any(IsNullOnly))
            {
                s.AnyOf = one;
                s.OneOf = null;
            }
            foreach (var property in s.Properties?.Values ?? Enumerable.Empty<IOpenApiSchema>()) Visit(property, seen);
            foreach (var child in Children(s)) Visit(child, seen);
        }
    }

    private static IEnumerable<IOpenApiSchema> Children(OpenApiSchema s) =>
        new[] { s.Items, s.AdditionalProperties }.OfType<IOpenApiSchema>()
            .Concat(s.OneOf ?? []).Concat(s.AnyOf ?? []).Concat(s.AllOf ?? []);

    private static bool IsNullOnly(IOpenApiSchema s) => s is OpenApiSchema { Type: JsonSchemaType.Null };

    private static bool IsNullable(IOpenApiSchema s) =>
        s is OpenApiSchema o && ((o.Type is { } t && t.HasFlag(JsonSchemaType.Null)) || (o.OneOf ?? []).Concat(o.AnyOf ?? []).Any(IsNullOnly));
}
