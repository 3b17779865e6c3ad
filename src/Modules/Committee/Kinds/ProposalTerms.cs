using System.Globalization;
using System.Text.Json;

namespace Commons.Modules.Committee.Kinds;

/// <summary>The majority rules a proposal may name.</summary>
public static class VotingRules
{
    public const string Simple = "simple", TwoThirds = "two_thirds", Consent = "consent";
}

/// <summary>What an adopted decision lets change: a governed setting and its scope (<c>*</c>: every scope).</summary>
public sealed record Authorisation(string Setting, string Scope)
{
    public bool Covers(string setting, string scope) => Setting == setting && (Scope == "*" || Scope == scope);

    public static Authorisation? Of(JsonElement parent) =>
        parent.TryGetProperty("authorises", out var a) && a.ValueKind == JsonValueKind.Object
            ? new Authorisation(a.GetProperty("setting").GetString()!, a.GetProperty("scope").GetString()!)
            : null;
}

/// <summary>A proposal's terms as its record says; without options, yes / no / abstain.</summary>
public sealed record ProposalTerms(string Id, IReadOnlyList<string> Options, DateTimeOffset Opens, DateTimeOffset Closes, decimal Quorum,
    string Rule, bool HiddenResults, Authorisation? Authorises, JsonElement Title)
{
    public const string Yes = "yes", No = "no", Abstain = "abstain";
    public static readonly IReadOnlyList<string> YesNoAbstain = [Yes, No, Abstain];

    /// <summary>True when the options are yes and no (with or without abstain); otherwise the options are choices.</summary>
    public bool IsYesNo => IsYesNoOptions(Options);

    public static bool IsYesNoOptions(IReadOnlyList<string> options) =>
        options.Contains(Yes) && options.Contains(No) && options.All(o => o is Yes or No or Abstain);

    public bool IsOpenAt(DateTimeOffset now) => now >= Opens && now < Closes;

    public static ProposalTerms Of(string id, JsonElement data) => new(
        id,
        data.TryGetProperty("options", out var o) ? o.EnumerateArray().Select(x => x.GetProperty("id").GetString()!).ToList() : YesNoAbstain,
        DateTimeOffset.Parse(data.GetProperty("opens").GetString()!, CultureInfo.InvariantCulture),
        DateTimeOffset.Parse(data.GetProperty("closes").GetString()!, CultureInfo.InvariantCulture),
        Decimals.Read(data.GetProperty("quorum")),
        data.GetProperty("rule").GetString()!,
        data.TryGetProperty("hiddenResults", out var h) && h.GetBoolean(),
        Authorisation.Of(data),
        data.GetProperty("title").Clone());
}
