using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Commons.Core.Datasets;
using Commons.Core.Records;
using Commons.Core.Services;
using Record = Commons.Core.Records.Record;

namespace Commons.Web.Tests;

/// <summary>Helpers of the record pages' tests: datasets with a schema, stored records, posting a page's form.</summary>
public sealed partial class UiNode
{
    /// <summary>A schema with one property of every kind the form generator knows.</summary>
    public const string RoomsSchema = """
        {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
         "properties":{
           "name":{"type":"string","title":"Name","maxLength":80},
           "notes":{"type":"string","maxLength":2000,"description":"Anything worth knowing"},
           "seats":{"type":"integer","minimum":0},
           "price":{"type":"number"},
           "accessible":{"type":"boolean"},
           "kind":{"type":"string","enum":["room","hall","office"]},
           "opened":{"type":"string","format":"date"},
           "contact":{"type":"string","format":"email"},
           "site":{"type":"string","format":"uri"},
           "address":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},
           "tags":{"type":"array","items":{"type":"string"}}
         },
         "required":["name","seats","kind"],
         "additionalProperties":false}
        """;

    public string CreateDatasetWithSchema(string? schema, SharingPolicy policy, params (string User, GrantRole Role)[] grants)
    {
        _ = Address;
        var slug = Unique("rec-");
        var datasets = Service<DatasetService>();
        datasets.Create(Admin, new DatasetDraft { Slug = slug, Title = new LocalizedText("Salles", "Zalen", "Rooms"), Policy = policy, Schema = schema });
        foreach (var (user, role) in grants) datasets.SetGrant(Admin, slug, user, role);
        return slug;
    }

    public Record AddRecord(string slug, string json, bool shared = true, string? id = null) =>
        Service<RecordService>().Create(Admin, slug, id, JsonDocument.Parse(json).RootElement.Clone(), shared).Record;

    /// <summary>The stored state of a record (or its tombstone), read from the store, not through the pages.</summary>
    public Record? Stored(string slug, string id) =>
        Service<IRecordStore>().Get(Service<DatasetService>().Get(Admin, slug).Key, id);

    public long LiveRecords(string slug) => Service<IRecordStore>().Count(Service<DatasetService>().Get(Admin, slug).Key);
}

public static partial class RecordPages
{
    /// <summary>Opens <paramref name="path"/>, then posts its form <paramref name="handler"/> with the page's antiforgery token.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(this Browser browser, string path, string handler, params (string Name, string Value)[] fields)
    {
        var (page, html) = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await browser.PostWithTokenAsync(path, Browser.Token(html), handler, fields);
    }

    public static Task<HttpResponseMessage> PostWithTokenAsync(this Browser browser, string path, string? token, string handler, params (string Name, string Value)[] fields)
    {
        var all = new List<KeyValuePair<string, string>> { new("_handler", handler) };
        if (token is not null) all.Add(new("__RequestVerificationToken", token));
        all.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        return browser.PostFormAsync(path, all);
    }

    /// <summary>The opening tag of the element with this id.</summary>
    public static string Tag(string html, string id)
    {
        var m = Regex.Match(html, $"<(input|select|textarea|button|a)\\b[^>]*\\bid=\"{Regex.Escape(id)}\"[^>]*>");
        Assert.True(m.Success, $"no element with id {id}");
        return m.Value;
    }

    /// <summary>The message is next to the input: in a field-error paragraph the input names with aria-describedby, and the input is marked invalid.</summary>
    public static void AssertFieldError(string html, string field, string message)
    {
        var input = Tag(html, "field-" + field);
        Assert.Contains("aria-invalid=\"true\"", input);
        var describedBy = Regex.Match(input, "aria-describedby=\"([^\"]+)\"").Groups[1].Value.Split(' ');
        Assert.Contains("error-" + field, describedBy);
        var error = Regex.Match(html, $"<p class=\"field-error\" id=\"error-{Regex.Escape(field)}\">([^<]*)</p>");
        Assert.True(error.Success, $"no error paragraph for {field}");
        Assert.Contains(message, WebUtility.HtmlDecode(error.Groups[1].Value));
        // The error paragraph comes right after its input, inside the same field block.
        var after = html[(html.IndexOf(input, StringComparison.Ordinal) + input.Length)..];
        var nextField = after.IndexOf("<div class=\"field", StringComparison.Ordinal);
        Assert.Contains(error.Value, nextField < 0 ? after : after[..nextField]);
        // And the summary at the top links to it.
        Assert.Contains("role=\"alert\"", html);
        Assert.Contains($"href=\"#field-{field}\"", html);
    }

    public static void AssertNoFieldError(string html, string field)
    {
        Assert.DoesNotContain("aria-invalid=\"true\"", Tag(html, "field-" + field));
        Assert.DoesNotContain($"id=\"error-{field}\"", html);
    }

    public static string RecordIdFrom(HttpResponseMessage redirect, string slug)
    {
        var location = Location(redirect);
        var m = Regex.Match(location, $"^/datasets/{Regex.Escape(slug)}/records/([A-Za-z0-9_-]+)\\?saved=1$");
        Assert.True(m.Success, $"unexpected redirect {location}");
        return m.Groups[1].Value;
    }

    /// <summary>Where a redirect sends the browser, as a local path and query.</summary>
    public static string Location(HttpResponseMessage redirect)
    {
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var location = redirect.Headers.Location!;
        return location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
    }

    /// <summary>The body rows of the records table, as the ids in their first cells.</summary>
    public static List<string> RowIds(string html) =>
        Regex.Matches(html[html.IndexOf("<tbody>", StringComparison.Ordinal)..], "<tr data-record=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
}
