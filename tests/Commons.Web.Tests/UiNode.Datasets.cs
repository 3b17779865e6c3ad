using System.Net;
using System.Text.RegularExpressions;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Records;
using Commons.Core.Services;

namespace Commons.Web.Tests;

/// <summary>Helpers of the dataset form tests: followers put straight into the node's store, the fan-out awaited.</summary>
public sealed partial class UiNode
{
    /// <summary>A follower of <paramref name="slug"/> as federation stores it (accepted by the policy unless <paramref name="approvedBy"/> names a steward).</summary>
    public Follower AddFollowerActor(string slug, string actorUri, FollowerState state = FollowerState.Accepted, string? approvedBy = null)
    {
        var follower = new Follower
        {
            DatasetSlug = slug, ActorUri = actorUri, Inbox = actorUri + "/inbox", FollowActivityId = actorUri + "#follows/1",
            State = state, ApprovedBy = approvedBy, Since = DateTimeOffset.UtcNow.AddDays(-3),
        };
        Service<IFollowerStore>().Upsert(follower);
        return follower;
    }

    /// <summary>Waits until the node's fan-out has met every change of the dataset's feed (it reassesses followers then).</summary>
    public async Task WaitForFanOutAsync(string slug)
    {
        var key = Service<DatasetService>().Get(Admin, slug).Key;
        var last = Service<IChangeFeed>().LastSeq(key);
        var queue = Service<IDeliveryQueue>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (queue.FanOutCursor(slug) < last)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the fan-out did not reach change {last} of '{slug}'");
            await Task.Delay(50);
        }
    }

    public Dataset Dataset(string slug) => Service<DatasetService>().Get(Admin, slug);
}

/// <summary>What the dataset pages post, and how their messages are read back.</summary>
public static partial class DatasetPages
{
    /// <summary>The create form's fields for a dataset with an English title, private, no schema rows; <paramref name="more"/> add or replace.</summary>
    public static List<KeyValuePair<string, string>> NewForm(string token, string slug, string titleEn, params (string Name, string Value)[] more) =>
        Fields("dataset-new", token, [("Form.Slug", slug), ("Form.TitleEn", titleEn), ("Form.Policy", "Private"), ("Form.Mode", "builder"), ("Form.Action", "save"), .. more]);

    /// <summary>The edit form's fields as the page shows them for <paramref name="d"/> (schema as JSON); <paramref name="more"/> add or replace.</summary>
    public static List<KeyValuePair<string, string>> EditForm(string token, Dataset d, params (string Name, string Value)[] more) =>
        Fields("dataset-edit", token,
        [
            ("Form.Version", d.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Form.TitleFr", d.Title.Fr ?? ""), ("Form.TitleNl", d.Title.Nl ?? ""), ("Form.TitleEn", d.Title.En ?? ""),
            ("Form.DescriptionFr", d.Description.Fr ?? ""), ("Form.DescriptionNl", d.Description.Nl ?? ""), ("Form.DescriptionEn", d.Description.En ?? ""),
            ("Form.Licence", d.License ?? ""), ("Form.Policy", d.Policy.ToString()),
            ("Form.AllowedPeers", string.Join("\n", d.AllowedPeers)), ("Form.ExcludedFields", string.Join("\n", d.ExcludedFields)),
            ("Form.Mode", "json"), ("Form.SchemaJson", d.Schema), ("Form.Action", "save"),
            .. more,
        ]);

    public static List<KeyValuePair<string, string>> Fields(string handler, string token, IEnumerable<(string Name, string Value)> fields)
    {
        var map = new List<KeyValuePair<string, string>> { new("_handler", handler), new("__RequestVerificationToken", token) };
        foreach (var (name, value) in fields)
        {
            map.RemoveAll(f => f.Key == name);
            map.Add(new(name, value));
        }
        return map;
    }

    /// <summary>The text of the message next to an input, or null.</summary>
    public static string? MessageFor(string html, string input) =>
        Regex.Match(html, $"<p class=\"field-error\" id=\"{Regex.Escape(input)}-error\">(.*?)</p>", RegexOptions.Singleline) is { Success: true } m
            ? WebUtility.HtmlDecode(Regex.Replace(m.Groups[1].Value, "<[^>]+>", " ")).Trim()
            : null;

    /// <summary>The opening tag of the element with this id.</summary>
    public static string Tag(string html, string id) =>
        Regex.Match(html, $"<[a-z]+ (?:[^>]*? )?id=\"{Regex.Escape(id)}\"[^>]*>") is { Success: true } m ? m.Value : throw new InvalidOperationException($"no element #{id}");

    /// <summary>The input is marked invalid and names its message.</summary>
    public static void AssertFlagged(string html, string input, string? messageOwner = null)
    {
        var tag = Tag(html, input);
        Assert.Contains("aria-invalid=\"true\"", tag);
        Assert.Matches($"aria-describedby=\"[^\"]*{Regex.Escape((messageOwner ?? input) + "-error")}", tag);
        Assert.NotNull(MessageFor(html, messageOwner ?? input));
    }

    /// <summary>Where a redirect goes: its path and query.</summary>
    public static string Location(HttpResponseMessage r) =>
        r.Headers.Location is { } l ? (l.IsAbsoluteUri ? l.PathAndQuery : l.OriginalString) : "";
}
