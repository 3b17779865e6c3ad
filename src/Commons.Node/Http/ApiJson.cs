using System.Text.Json;
using System.Text.Json.Serialization;

namespace Commons.Node.Http;

/// <summary>JSON conventions of the API: camelCase names, enums as exact camelCase strings, unknown request fields and duplicate keys refused.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        o.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        o.NumberHandling = JsonNumberHandling.Strict;
        o.AllowDuplicateProperties = false;
        o.Converters.Add(new ExactEnumConverter());
        return o;
    }
}
