namespace Commons.Core.Tests.Schemas;

/// <summary>Realistic dataset schemas of the pooling experiments, used by the validation tests.</summary>
public static class Schemas
{
    /// <summary>Offers and needs of member collectives: closed (no unknown fields), with a nested contact.</summary>
    public const string OffersNeeds = """
    {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "required": ["kind", "title", "contact"],
      "additionalProperties": false,
      "properties": {
        "kind": { "enum": ["offer", "need"] },
        "title": { "type": "string", "minLength": 3, "maxLength": 80 },
        "description": { "type": "string", "maxLength": 2000 },
        "category": { "type": "string", "enum": ["place", "admin", "tools", "skills", "facilitation", "mapping"] },
        "quantity": { "type": "integer", "minimum": 1, "maximum": 100 },
        "price": { "type": "number", "minimum": 0 },
        "available": { "type": "boolean" },
        "availableFrom": { "type": "string", "format": "date" },
        "postedAt": { "type": "string", "format": "date-time" },
        "website": { "type": "string", "format": "uri" },
        "tags": { "type": "array", "maxItems": 5, "items": { "type": "string", "minLength": 2, "maxLength": 20 } },
        "contact": {
          "type": "object",
          "required": ["name", "email"],
          "additionalProperties": false,
          "properties": {
            "name": { "type": "string", "minLength": 1 },
            "email": { "type": "string", "format": "email" },
            "phone": { "type": "string", "maxLength": 20 }
          }
        }
      }
    }
    """;

    /// <summary>Rooms of the shared place: open at the root, nested address and geo, arrays of enums and of objects.</summary>
    public const string Rooms = """
    {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "required": ["name", "capacity", "address"],
      "properties": {
        "name": { "type": "string", "minLength": 1, "maxLength": 100 },
        "capacity": { "type": "integer", "minimum": 1, "maximum": 500 },
        "accessible": { "type": "boolean" },
        "address": {
          "type": "object",
          "required": ["street", "city", "postcode"],
          "properties": {
            "street": { "type": "string" },
            "city": { "type": "string" },
            "postcode": { "type": "string", "minLength": 4, "maxLength": 4 },
            "geo": {
              "type": "object",
              "required": ["lat", "lon"],
              "properties": {
                "lat": { "type": "number", "minimum": -90, "maximum": 90 },
                "lon": { "type": "number", "minimum": -180, "maximum": 180 }
              }
            }
          }
        },
        "equipment": { "type": "array", "items": { "enum": ["projector", "whiteboard", "kitchen", "sound"] } },
        "slots": {
          "type": "array",
          "items": {
            "type": "object",
            "required": ["day", "from", "to"],
            "additionalProperties": false,
            "properties": {
              "day": { "enum": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] },
              "from": { "type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$" },
              "to": { "type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$" }
            }
          }
        },
        "photos": { "type": "array", "items": { "type": "string", "format": "uri" } },
        "openedOn": { "type": "string", "format": "date" },
        "manager": { "type": "string", "format": "email" }
      }
    }
    """;

    public static string Named(string name) => name switch
    {
        "offers" => OffersNeeds,
        "rooms" => Rooms,
        _ => throw new ArgumentException(name),
    };
}
