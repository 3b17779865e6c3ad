using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Schemas;

namespace Commons.Core.Tests.Schemas;

/// <summary>Good and bad records against the offers/needs and rooms schemas; each bad record names its failing JSON paths.</summary>
public class RecordValidationTests
{
    private const string Contact = """ "contact": { "name": "Atelier Vélo", "email": "velo@atelier.brussels" } """;

    public static TheoryData<string, string> Good => new()
    {
        // offers/needs
        { "offers", $$"""{ "kind": "offer", "title": "Salle de réunion", {{Contact}} }""" },
        { "offers", $$"""{ "kind": "need", "title": "Boekhouder gezocht", "category": "skills", {{Contact}} }""" },
        { "offers", $$"""{ "kind": "offer", "title": "Vélo cargo", "quantity": 1, "price": 0, "available": true, {{Contact}} }""" },
        { "offers", $$"""{ "kind": "offer", "title": "Projecteur", "quantity": 100, "price": 12.5, {{Contact}} }""" },
        { "offers", $$"""{ "kind": "need", "title": "Graphiste", "availableFrom": "2025-03-01", "postedAt": "2025-02-14T09:30:00Z", {{Contact}} }""" },
        { "offers", $$"""{ "kind": "need", "title": "Juriste", "postedAt": "2025-02-14T09:30:00.123+01:00", {{Contact}} }""" },
        { "offers", $$"""{ "kind": "offer", "title": "Site web", "website": "https://coop.example.be/offres?id=3", {{Contact}} }""" },
        { "offers", $$"""{ "kind": "offer", "title": "Étiquettes", "tags": ["ecole", "école", "印刷"], {{Contact}} }""" },
        { "offers", $$"""{ "kind": "offer", "title": "Vide", "tags": [], "description": "", {{Contact}} }""" },
        { "offers", """{ "kind": "offer", "title": "Tél", "contact": { "name": "A", "email": "a@b.be", "phone": "+32 2 123 45 67" } }""" },
        { "offers", $$"""{ "kind": "offer", "title": "abc", "quantity": 50.0, {{Contact}} }""" },
        // rooms
        { "rooms", """{ "name": "Salle A", "capacity": 20, "address": { "street": "Rue Haute 1", "city": "Bruxelles", "postcode": "1000" } }""" },
        { "rooms", """{ "name": "Zaal B", "capacity": 500, "accessible": false, "address": { "street": "Hoogstraat 2", "city": "Brussel", "postcode": "1000", "geo": { "lat": 50.84, "lon": 4.35 } } }""" },
        { "rooms", """{ "name": "C", "capacity": 1, "address": { "street": "s", "city": "c", "postcode": "1060" }, "equipment": ["projector", "kitchen"], "slots": [ { "day": "mon", "from": "09:00", "to": "12:00" }, { "day": "sat", "from": "14:00", "to": "18:30" } ] }""" },
        { "rooms", """{ "name": "D", "capacity": 8, "address": { "street": "s", "city": "c", "postcode": "1050" }, "photos": ["https://img.example.org/d.jpg"], "openedOn": "2024-02-29", "manager": "gestion@lieu.be" }""" },
        { "rooms", """{ "name": "E", "capacity": 8, "address": { "street": "s", "city": "c", "postcode": "1050", "floor": 2 }, "notes": "open schema accepts extra fields" }""" },
        { "rooms", """{ "name": "F", "capacity": 8, "address": { "street": "s", "city": "c", "postcode": "1050", "geo": { "lat": -90, "lon": 180 } }, "equipment": [], "slots": [] }""" },
    };

    public static TheoryData<string, string, string[]> Bad => new()
    {
        // required, at the root and nested
        { "offers", $$"""{ "title": "Sans type", {{Contact}} }""", ["$.kind"] },
        { "offers", """{ "kind": "offer", "title": "Sans contact" }""", ["$.contact"] },
        { "offers", """{ "kind": "offer", "title": "Contact incomplet", "contact": { "name": "A" } }""", ["$.contact.email"] },
        { "offers", """{ "kind": "offer" }""", ["$.title", "$.contact"] },
        // type
        { "offers", $$"""{ "kind": "offer", "title": 42, {{Contact}} }""", ["$.title"] },
        { "offers", $$"""{ "kind": "offer", "title": "Quantité", "quantity": "three", {{Contact}} }""", ["$.quantity"] },
        { "offers", $$"""{ "kind": "offer", "title": "Quantité", "quantity": 2.5, {{Contact}} }""", ["$.quantity"] },
        { "offers", $$"""{ "kind": "offer", "title": "Dispo", "available": "yes", {{Contact}} }""", ["$.available"] },
        { "offers", """{ "kind": "offer", "title": "Contact", "contact": "velo@atelier.brussels" }""", ["$.contact"] },
        { "offers", $$"""{ "kind": "offer", "title": "Tags", "tags": "a,b", {{Contact}} }""", ["$.tags"] },
        // enum
        { "offers", $$"""{ "kind": "gift", "title": "Don", {{Contact}} }""", ["$.kind"] },
        { "offers", $$"""{ "kind": "offer", "title": "Catégorie", "category": "Place", {{Contact}} }""", ["$.category"] },
        // unknown fields (additionalProperties: false), at the root and nested
        { "offers", $$"""{ "kind": "offer", "title": "Inconnu", "colour": "red", {{Contact}} }""", ["$.colour"] },
        { "offers", """{ "kind": "offer", "title": "Inconnu", "contact": { "name": "A", "email": "a@b.be", "fax": "02" } }""", ["$.contact.fax"] },
        // formats
        { "offers", $$"""{ "kind": "need", "title": "Date", "availableFrom": "2025-02-30", {{Contact}} }""", ["$.availableFrom"] },
        { "offers", $$"""{ "kind": "need", "title": "Date", "availableFrom": "01/03/2025", {{Contact}} }""", ["$.availableFrom"] },
        { "offers", $$"""{ "kind": "need", "title": "Quand", "postedAt": "2025-02-14 09:30", {{Contact}} }""", ["$.postedAt"] },
        { "offers", $$"""{ "kind": "need", "title": "Quand", "postedAt": "2025-02-14", {{Contact}} }""", ["$.postedAt"] },
        { "offers", $$"""{ "kind": "offer", "title": "Site", "website": "not a uri", {{Contact}} }""", ["$.website"] },
        { "offers", $$"""{ "kind": "offer", "title": "Site", "website": "/relative/path", {{Contact}} }""", ["$.website"] },
        { "offers", """{ "kind": "offer", "title": "Courriel", "contact": { "name": "A", "email": "velo.atelier.brussels" } }""", ["$.contact.email"] },
        { "offers", """{ "kind": "offer", "title": "Courriel", "contact": { "name": "A", "email": "velo@" } }""", ["$.contact.email"] },
        // minimum / maximum
        { "offers", $$"""{ "kind": "offer", "title": "Zéro", "quantity": 0, {{Contact}} }""", ["$.quantity"] },
        { "offers", $$"""{ "kind": "offer", "title": "Trop", "quantity": 101, {{Contact}} }""", ["$.quantity"] },
        { "offers", $$"""{ "kind": "offer", "title": "Prix", "price": -0.01, {{Contact}} }""", ["$.price"] },
        // minLength / maxLength
        { "offers", $$"""{ "kind": "offer", "title": "ab", {{Contact}} }""", ["$.title"] },
        { "offers", $$"""{ "kind": "offer", "title": "{{new string('x', 81)}}", {{Contact}} }""", ["$.title"] },
        { "offers", """{ "kind": "offer", "title": "Nom vide", "contact": { "name": "", "email": "a@b.be" } }""", ["$.contact.name"] },
        // items
        { "offers", $$"""{ "kind": "offer", "title": "Tags", "tags": ["ok", "x"], {{Contact}} }""", ["$.tags[1]"] },
        { "offers", $$"""{ "kind": "offer", "title": "Tags", "tags": ["ok", 7, "fine", "y"], {{Contact}} }""", ["$.tags[1]", "$.tags[3]"] },
        { "offers", $$"""{ "kind": "offer", "title": "Tags", "tags": ["aa", "bb", "cc", "dd", "ee", "ff"], {{Contact}} }""", ["$.tags"] },
        // several errors at once
        { "offers", """{ "kind": "swap", "title": 1, "quantity": 1000, "contact": { "email": "nope" }, "extra": true }""", ["$.kind", "$.title", "$.quantity", "$.contact.name", "$.contact.email", "$.extra"] },
        // rooms: nested objects and arrays
        { "rooms", """{ "name": "A", "capacity": 10 }""", ["$.address"] },
        { "rooms", """{ "name": "A", "capacity": 10, "address": { "street": "s", "postcode": "1000" } }""", ["$.address.city"] },
        { "rooms", """{ "name": "A", "capacity": 10, "address": { "street": "s", "city": "c", "postcode": "10000" } }""", ["$.address.postcode"] },
        { "rooms", """{ "name": "A", "capacity": 10, "address": { "street": "s", "city": "c", "postcode": "1000", "geo": { "lat": 91, "lon": 4 } } }""", ["$.address.geo.lat"] },
        { "rooms", """{ "name": "A", "capacity": 10, "address": { "street": "s", "city": "c", "postcode": "1000", "geo": { "lat": 50 } } }""", ["$.address.geo.lon"] },
        { "rooms", """{ "name": "A", "capacity": 0, "address": { "street": "s", "city": "c", "postcode": "1000" } }""", ["$.capacity"] },
        { "rooms", """{ "name": "A", "capacity": 501, "address": { "street": "s", "city": "c", "postcode": "1000" } }""", ["$.capacity"] },
        { "rooms", """{ "name": "A", "capacity": 10, "address": { "street": "s", "city": "c", "postcode": "1000" }, "equipment": ["projector", "piano"] }""", ["$.equipment[1]"] },
        { "rooms", """{ "name": "A", "capacity": 10, "address": { "street": "s", "city": "c", "postcode": "1000" }, "slots": [ { "day": "mon", "from": "09:00", "to": "12:00" }, { "from": "09:00", "to": "12:00" } ] }""", ["$.slots[1].day"] },
        { "rooms", """{ "name": "A", "capacity": 10, "address": { "street": "s", "city": "c", "postcode": "1000" }, "slots": [ { "day": "mon", "from": "9h", "to": "12:00" } ] }""", ["$.slots[0].from"] },
        { "rooms", """{ "name": "A", "capacity": 10, "address": { "street": "s", "city": "c", "postcode": "1000" }, "slots": [ { "day": "mon", "from": "09:00", "to": "12:00", "room": "B" } ] }""", ["$.slots[0].room"] },
        { "rooms", """{ "name": "A", "capacity": 10, "address": { "street": "s", "city": "c", "postcode": "1000" }, "photos": ["https://ok.example/a.jpg", "nope"] }""", ["$.photos[1]"] },
        { "rooms", """{ "name": "A", "capacity": 10, "address": { "street": "s", "city": "c", "postcode": "1000" }, "openedOn": "2023-02-29" }""", ["$.openedOn"] },
        { "rooms", """{ "name": "A", "capacity": 10, "address": { "street": "s", "city": "c", "postcode": "1000" }, "manager": "gestion at lieu.be" }""", ["$.manager"] },
        { "rooms", """{ "name": "A", "capacity": 10, "address": [ "s", "c", "1000" ] }""", ["$.address"] },
        { "rooms", """{ "capacity": 10, "address": { "street": "s", "city": "c", "postcode": "1000" }, "slots": [ { "day": "sun" } ] }""", ["$.name", "$.slots[0].from", "$.slots[0].to"] },
    };

    [Theory]
    [MemberData(nameof(Good))]
    public void Good_records_pass(string schema, string record)
    {
        using var doc = JsonDocument.Parse(record);
        var errors = RecordSchema.For(Schemas.Named(schema)).Validate(doc.RootElement);
        Assert.Empty(errors);
    }

    [Theory]
    [MemberData(nameof(Bad))]
    public void Bad_records_name_each_failing_path(string schema, string record, string[] expectedPaths)
    {
        using var doc = JsonDocument.Parse(record);
        var errors = RecordSchema.For(Schemas.Named(schema)).Validate(doc.RootElement);
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
        Assert.Equal(expectedPaths.Order(StringComparer.Ordinal), errors.Select(e => e.Path).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EnsureValid_throws_a_validation_exception_with_the_paths()
    {
        using var doc = JsonDocument.Parse("""{ "kind": "offer", "title": "Contact incomplet", "contact": { "name": "A" } }""");
        var e = Assert.Throws<ValidationException>(() => RecordSchema.For(Schemas.OffersNeeds).EnsureValid(doc.RootElement));
        var error = Assert.Single(e.Errors);
        Assert.Equal("$.contact.email", error.Path);
        Assert.Equal("is required", error.Message);
        Assert.StartsWith("$.contact.email", e.Detail);
    }

    [Fact]
    public void Field_names_that_are_not_identifiers_are_quoted_in_paths()
    {
        const string schema = """{ "type": "object", "properties": { "prix €": { "type": "number" }, "it's": { "type": "number" } } }""";
        using var doc = JsonDocument.Parse("""{ "prix €": "cher", "it's": "x" }""");
        var paths = RecordSchema.For(schema).Validate(doc.RootElement).Select(e => e.Path).Order(StringComparer.Ordinal);
        Assert.Equal(["$['it\\'s']", "$['prix €']"], paths);
    }

    [Fact]
    public void Required_inside_a_local_ref_still_names_the_field()
    {
        const string schema = """
        { "type": "object", "properties": { "contact": { "$ref": "#/$defs/contact" } },
          "$defs": { "contact": { "type": "object", "required": ["email"], "properties": { "email": { "type": "string", "format": "email" } } } } }
        """;
        using var bad = JsonDocument.Parse("""{ "contact": { "email": "nope" } }""");
        Assert.Equal(["$.contact.email"], RecordSchema.For(schema).Validate(bad.RootElement).Select(e => e.Path).Distinct());
        using var missing = JsonDocument.Parse("""{ "contact": { } }""");
        var errors = RecordSchema.For(schema).Validate(missing.RootElement);
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.StartsWith("$.contact", e.Path));
    }
}
