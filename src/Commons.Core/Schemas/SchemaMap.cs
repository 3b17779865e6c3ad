using System.Text.Json;

namespace Commons.Core.Schemas;

/// <summary>
/// Every subschema of a dataset schema, found by walking the keywords that hold schemas, with the subschemas each one
/// applies, its local <c>$ref</c>s resolved to their targets, and its regular expressions. Places are JSON Pointers
/// from the document's root ("" is the root). What <see cref="SchemaAnalysis"/> judges.
/// </summary>
internal sealed class SchemaMap
{
    private static readonly string[] OneSchema = ["not", "if", "then", "else", "items", "contains", "additionalProperties",
        "unevaluatedProperties", "unevaluatedItems", "propertyNames"];
    private static readonly string[] ListOfSchemas = ["allOf", "anyOf", "oneOf", "prefixItems"];
    private static readonly string[] MapOfSchemas = ["properties", "patternProperties", "dependentSchemas"];
    // Subschemas that are never applied where they stand, only through a $ref (or not at all).
    private static readonly string[] HeldSchemas = ["$defs", "definitions"];

    private readonly JsonElement _root;
    private readonly Dictionary<string, string> _resourceOf = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Resource, string Name), string> _anchors = new();
    private readonly Dictionary<string, List<string>> _dynamicAnchors = new(StringComparer.Ordinal);
    private readonly List<(string Owner, string Keyword, string Value)> _refs = [];

    /// <summary>Each subschema and the subschemas (or $ref targets) evaluated when it is: the graph validation walks.</summary>
    public Dictionary<string, List<string>> Applies { get; } = new(StringComparer.Ordinal);
    public List<(string Pointer, string Pattern)> Patterns { get; } = [];
    /// <summary>Places of nested <c>$schema</c> keywords, with their value.</summary>
    public List<(string Pointer, string? Value)> NestedDialects { get; } = [];
    /// <summary>References that lead nowhere (place of the keyword, its value).</summary>
    public List<(string Pointer, string Value)> Unresolved { get; } = [];

    private SchemaMap(JsonElement root) => _root = root;

    public static SchemaMap Of(JsonElement root)
    {
        var map = new SchemaMap(root);
        map.Walk(root, "", "");
        // Resolving may find targets outside the walked places (a pointer into any part of the document): walk those too.
        for (var i = 0; i < map._refs.Count; i++) map.Resolve(map._refs[i]);
        return map;
    }

    public int Count => Applies.Count;

    private void Walk(JsonElement schema, string pointer, string resource)
    {
        if (Applies.ContainsKey(pointer)) return;
        var applies = new List<string>();
        Applies[pointer] = applies;
        if (schema.ValueKind != JsonValueKind.Object) { _resourceOf[pointer] = resource; return; }
        if (pointer.Length > 0 && schema.TryGetProperty("$id", out var id) && id.ValueKind == JsonValueKind.String) resource = pointer;
        _resourceOf[pointer] = resource;

        foreach (var property in schema.EnumerateObject())
        {
            var name = property.Name;
            var value = property.Value;
            var at = pointer + "/" + Escape(name);
            switch (name)
            {
                case "$anchor" when value.ValueKind == JsonValueKind.String:
                    _anchors.TryAdd((resource, value.GetString()!), pointer);
                    break;
                case "$dynamicAnchor" when value.ValueKind == JsonValueKind.String:
                    _anchors.TryAdd((resource, value.GetString()!), pointer);
                    if (!_dynamicAnchors.TryGetValue(value.GetString()!, out var places)) _dynamicAnchors[value.GetString()!] = places = [];
                    places.Add(pointer);
                    break;
                case "$schema" when pointer.Length > 0:
                    NestedDialects.Add((at, value.ValueKind == JsonValueKind.String ? value.GetString() : null));
                    break;
                case "$ref" or "$dynamicRef" when value.ValueKind == JsonValueKind.String:
                    _refs.Add((pointer, name, value.GetString()!));
                    break;
                case "pattern" when value.ValueKind == JsonValueKind.String:
                    Patterns.Add((at, value.GetString()!));
                    break;
            }
            if (name == "patternProperties" && value.ValueKind == JsonValueKind.Object)
                foreach (var p in value.EnumerateObject()) Patterns.Add((at + "/" + Escape(p.Name), p.Name));

            if (OneSchema.Contains(name)) Child(value, at, resource, applies);
            else if (ListOfSchemas.Contains(name) && value.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in value.EnumerateArray()) Child(item, $"{at}/{i++}", resource, applies);
            }
            else if (MapOfSchemas.Contains(name) && value.ValueKind == JsonValueKind.Object)
                foreach (var p in value.EnumerateObject()) Child(p.Value, at + "/" + Escape(p.Name), resource, applies);
            else if (HeldSchemas.Contains(name) && value.ValueKind == JsonValueKind.Object)
                foreach (var p in value.EnumerateObject()) Walk(p.Value, at + "/" + Escape(p.Name), resource);
        }
    }

    private void Child(JsonElement value, string at, string resource, List<string> applies)
    {
        if (value.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False)) return;
        Walk(value, at, resource);
        applies.Add(at);
    }

    private void Resolve((string Owner, string Keyword, string Value) reference)
    {
        var (owner, keyword, value) = reference;
        var resource = _resourceOf[owner];
        var targets = new List<string>();
        if (value.StartsWith('#'))
        {
            var fragment = Uri.UnescapeDataString(value[1..]);
            if (fragment.Length == 0) targets.Add(resource);
            else if (fragment.StartsWith('/')) { if (Find(resource + fragment) is not null) targets.Add(resource + fragment); }
            else if (_anchors.TryGetValue((resource, fragment), out var anchored)) targets.Add(anchored);
            // A $dynamicRef may land on any same-named dynamic anchor in scope at run time: count them all.
            if (keyword == "$dynamicRef" && fragment.Length > 0 && !fragment.StartsWith('/') && _dynamicAnchors.TryGetValue(fragment, out var dynamic))
                targets.AddRange(dynamic);
        }
        if (targets.Count == 0) { Unresolved.Add((owner + "/" + Escape(keyword), value)); return; }
        foreach (var target in targets.Distinct())
        {
            if (!Applies.ContainsKey(target)) WalkTarget(target);
            Applies[owner].Add(target);
        }
    }

    private void WalkTarget(string pointer)
    {
        if (Find(pointer) is { } element) Walk(element, pointer, ResourceAround(pointer));
    }

    /// <summary>The resource a place belongs to: that of its nearest walked ancestor.</summary>
    private string ResourceAround(string pointer)
    {
        for (var cut = pointer.LastIndexOf('/'); cut >= 0; cut = pointer.LastIndexOf('/', cut - 1))
        {
            if (_resourceOf.TryGetValue(pointer[..cut], out var resource)) return resource;
            if (cut == 0) break;
        }
        return "";
    }

    private JsonElement? Find(string pointer)
    {
        var current = _root;
        if (pointer.Length == 0) return current;
        foreach (var raw in pointer[1..].Split('/'))
        {
            var segment = raw.Replace("~1", "/").Replace("~0", "~");
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var next)) current = next;
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, out var i) && i >= 0 && i < current.GetArrayLength()) current = current[i];
            else return null;
        }
        return current;
    }

    public static string Escape(string segment) => segment.Replace("~", "~0").Replace("/", "~1");
}
