using System.Text.Json;

namespace Commons.Federation.ActivityStreams;

/// <summary>
/// Whether a fetched actor document is a Commons dataset (spec §3.1): a <c>Service</c> that publishes the dataset's
/// <c>commons:policy</c> and <c>commons:schema</c>. Only those can be followed and backfilled; a person, a group or a
/// bot of another server has no dataset outbox to page through.
/// </summary>
public static class DatasetActorRecognition
{
    /// <summary>How the refusal starts, so the web form can tell it apart from the other reasons.</summary>
    public const string NotADatasetPrefix = "not a Commons dataset";

    /// <summary>Null when <paramref name="actor"/> is a Commons dataset actor; else why it is not, in a few words.</summary>
    public static string? WhyNot(JsonElement actor)
    {
        if (actor.ValueKind != JsonValueKind.Object) return $"{NotADatasetPrefix}: the actor document is not a JSON object";
        var types = AsJson.Types(actor);
        if (!types.Contains("Service"))
            return $"{NotADatasetPrefix}: the actor is a {(types.Count > 0 ? Shortened(string.Join("/", types)) : "thing without a type")}; only a dataset actor (a Service publishing commons:policy and commons:schema) can be followed";
        var missing = new[] { ActivityStreamsContext.Policy, ActivityStreamsContext.Schema }.Where(term => !actor.TryGetProperty(term, out _)).ToList();
        return missing.Count == 0
            ? null
            : $"{NotADatasetPrefix}: the Service publishes no {string.Join(" and no ", missing)}; only a dataset actor (a Service publishing commons:policy and commons:schema) can be followed";
    }

    // A remote type is free text: a hostile one must not make the message unreadable.
    private static string Shortened(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
