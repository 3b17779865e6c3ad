using System.Text.Json;
using System.Text.Json.Serialization;

namespace Commons.Node.Http;

/// <summary>
/// Enums as their camelCase names, read exactly: "admin" is a role, "Admin", "ADMIN" and 1 are refused, so a client
/// that works against this node sends what the OpenAPI document lists.
/// </summary>
public sealed class ExactEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    /// <summary>The names a value of this enum is written and read as.</summary>
    public static IReadOnlyList<string> Names(Type enumType) =>
        Enum.GetNames(enumType).Select(JsonNamingPolicy.CamelCase.ConvertName).ToList();

    private sealed class Converter<T> : JsonConverter<T> where T : struct, Enum
    {
        private static readonly Dictionary<string, T> ByName =
            Enum.GetValues<T>().ToDictionary(v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString()), StringComparer.Ordinal);
        private static readonly Dictionary<T, string> NameOf = ByName.ToDictionary(kv => kv.Value, kv => kv.Key);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } name && ByName.TryGetValue(name, out var value))
                return value;
            throw new JsonException($"one of {string.Join(", ", ByName.Keys)}");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(NameOf.TryGetValue(value, out var name) ? name : throw new JsonException($"{typeof(T).Name} has no name for {value}"));
    }
}
