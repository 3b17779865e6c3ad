using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Schemas;
using Xunit.Abstractions;

namespace Commons.Core.Tests.Schemas;

/// <summary>
/// The compiled verdict against JsonSchema.Net's, case by case: generated schemas × generated bodies, and the kinds'
/// own schemas × bodies mutated from a sample each accepts. Seeded, so a failure replays; any difference fails with
/// the schema and the body. A compiled "valid" is final in <see cref="RecordSchema.Validate"/>, so these are what
/// keeps a wrong acceptance out.
/// </summary>
public sealed class VerdictDifferentialTests(ITestOutputHelper output)
{
    private sealed record Tally(int Schemas, int Compiled, int Cases, int Valid, int Invalid, int Unsure);

    private Tally Compare(IEnumerable<(string Schema, IEnumerable<string> Bodies)> cases)
    {
        int schemas = 0, compiled = 0, compared = 0, valid = 0, invalid = 0, unsure = 0;
        foreach (var (schemaText, bodies) in cases)
        {
            RecordSchema schema;
            try { schema = RecordSchema.For(schemaText); }
            catch (ValidationException) { continue; } // not a schema the node stores at all
            schemas++;
            if (!schema.HasCompiledVerdict) continue;
            compiled++;
            foreach (var body in bodies)
            {
                using var doc = JsonDocument.Parse(body);
                bool? library;
                // JsonSchema.Net throws on some records (a number beyond decimal under uniqueItems): ours must not accept them.
                try { library = schema.LibraryVerdict(doc.RootElement); }
                catch (FormatException) { library = null; }
                if (schema.CompiledVerdict(doc.RootElement) is not { } ours)
                {
                    unsure++;
                    continue;
                }
                Assert.True(ours == library || (library is null && !ours), $"compiled {ours}, JsonSchema.Net {library}\nschema: {schemaText}\nbody: {body}");
                compared++;
                if (ours) valid++; else invalid++;
            }
        }
        var tally = new Tally(schemas, compiled, compared, valid, invalid, unsure);
        output.WriteLine(tally.ToString());
        return tally;
    }

    [Fact]
    public void Generated_schemas_and_bodies_get_the_same_verdict_as_JsonSchema_Net()
    {
        var schemas = SchemaGenerators.Sample(SchemaGenerators.RecordSchema, 1_500, seed: 17);
        var bodies = SchemaGenerators.Sample(SchemaGenerators.Body, 20_000, seed: 71);
        var tally = Compare(schemas.Select((s, i) =>
        {
            var own = SchemaGenerators.Sample(SchemaGenerators.Mutated(SchemaSampler.Sample(s)), 8, seed: (ulong)i);
            return (s, bodies.Skip(i * 13 % (bodies.Length - 12)).Take(12).Concat(own));
        }));

        Assert.True(tally.Compiled >= tally.Schemas * 8 / 10, $"only {tally.Compiled} of {tally.Schemas} schemas compiled");
        Assert.True(tally.Cases >= 20_000, $"only {tally.Cases} cases compared: {tally}");
        Assert.True(tally.Valid >= 2_000 && tally.Invalid >= 2_000, $"{tally.Valid} valid and {tally.Invalid} invalid: too one-sided");
    }

    /// <summary>Each leaf keyword with each argument of the pools, against every pool value: the edges no sample may miss.</summary>
    [Fact]
    public void Every_leaf_keyword_argument_gets_the_same_verdict_as_JsonSchema_Net_on_every_pool_value()
    {
        var keywords = SchemaGenerators.Types.Select(t => $"\"type\":{t}")
            .Concat(Enumerable.Range(0, 6).SelectMany(n => new[] { $"\"minLength\":{n}", $"\"maxLength\":{n}" }))
            .Concat(SchemaGenerators.Patterns.Select(p => $"\"pattern\":\"{p}\""))
            .Concat(SchemaGenerators.Numbers.Concat(SchemaGenerators.Scalars.Where(v => char.IsAsciiDigit(v[^1])))
                .SelectMany(n => new[] { "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" }.Select(k => $"\"{k}\":{n}")))
            .Concat(SchemaGenerators.Divisors.Select(d => $"\"multipleOf\":{d}"))
            .Concat(SchemaGenerators.Formats.Select(f => $"\"format\":\"{f}\""))
            .Concat(SchemaGenerators.Scalars.Select(v => $"\"const\":{v}"));
        var bodies = SchemaGenerators.Scalars.Select(v => $"{{\"v\":{v}}}").ToList();

        var tally = Compare(keywords.Select(k => ("{\"type\":\"object\",\"properties\":{\"v\":{" + k + "}}}", (IEnumerable<string>)bodies)));

        Assert.True(tally.Schemas >= 150 && tally.Compiled == tally.Schemas, tally.ToString());
    }

    public static TheoryData<string> KindSchemas()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "KindSchemas"), "*.json", SearchOption.AllDirectories).Order())
            data.Add(Path.GetRelativePath(Path.Combine(AppContext.BaseDirectory, "KindSchemas"), file));
        return data;
    }

    [Theory]
    [MemberData(nameof(KindSchemas))]
    public void A_kind_schema_is_compiled_and_agrees_with_JsonSchema_Net_on_mutated_bodies(string file)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "KindSchemas", file));
        Assert.True(RecordSchema.For(text).HasCompiledVerdict, $"{file} is left to JsonSchema.Net");

        var tally = Compare([(text, MutationChain(SchemaSampler.Sample(text), 1_500, (ulong)file.Length))]);

        Assert.True(tally.Cases >= 1_400, $"only {tally.Cases} cases compared: {tally}");
        Assert.True(tally.Invalid > 0, "no mutated body was refused");
    }

    [Theory]
    [InlineData(nameof(Schemas.OffersNeeds), Schemas.OffersNeeds)]
    [InlineData(nameof(Schemas.Rooms), Schemas.Rooms)]
    public void The_test_schemas_are_compiled_and_agree_on_mutated_bodies(string name, string text)
    {
        Assert.True(RecordSchema.For(text).HasCompiledVerdict, $"{name} is left to JsonSchema.Net");
        var tally = Compare([(text, MutationChain(SchemaSampler.Sample(text), 2_000, 5))]);
        Assert.True(tally.Valid > 0 && tally.Invalid > 0, $"{tally.Valid} valid, {tally.Invalid} invalid");
    }

    /// <summary>Bodies each one change away from the one before (back to the start now and then), so that changes add up.</summary>
    private static IEnumerable<string> MutationChain(string start, int count, ulong seed)
    {
        var current = start;
        for (var i = 0; i < count; i++)
        {
            if (i % 5 == 0) current = start;
            current = SchemaGenerators.Sample(SchemaGenerators.Mutated(current), 1, seed * 100_003 + (ulong)i)[0];
            yield return current;
        }
    }
}
