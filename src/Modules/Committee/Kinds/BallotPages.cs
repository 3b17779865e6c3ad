using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Commons.Modules.Committee.Kinds;

/// <summary>
/// A large tally's ballots, in pages beside its decision. A ballot as signed weighs about 0.8 KiB without a reason and
/// up to ~13 KiB with the longest (2,000 characters, kept twice: in the ballot and in its signed request), and a
/// record must stay under the node's record limit (256 KiB) and, to replicate, under the 1 MiB an inbox or a backfill
/// response takes. So ballots up to <see cref="InlineBytes"/> stay in the tally (every tally of ~150 ballots
/// without long reasons, as before); beyond that they go, in voter order, into records of the decisions dataset of
/// at most <see cref="PageBytes"/> each (type <see cref="PageType"/>: the proposal, the page's number, how many pages,
/// its ballots), each signed by the decisions dataset (FEP-8b32); the tally lists the pages
/// (<c>ballotPages: [{id, count, proof}]</c>, <c>proof</c> being the page's proofValue, so the signed tally pins each
/// page exactly) and <c>ballotCount</c>. A page is written by the closing only, before its decision, and never changes.
/// </summary>
public static class BallotPages
{
    public const string PageType = "commons:BallotPage";
    public const int InlineBytes = 160 * 1024;
    public const int PageBytes = 192 * 1024;

    /// <summary>The page's record id: within the 64 characters of a record id whatever the proposal's id.</summary>
    public static string PageId(string proposal, int page) =>
        $"ballots-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(proposal)))[..24]}-{page}";

    public static bool IsPage(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == PageType;

    /// <summary>Null when the ballots stay in the tally; otherwise the pages, each under <see cref="PageBytes"/>.</summary>
    public static IReadOnlyList<JsonArray>? Split(IReadOnlyList<JsonNode> ballots)
    {
        var sizes = ballots.Select(b => Encoding.UTF8.GetByteCount(b.ToJsonString()) + 1).ToList();
        if (sizes.Sum() <= InlineBytes) return null;
        var pages = new List<JsonArray>();
        var current = new JsonArray();
        var bytes = 0;
        for (var i = 0; i < ballots.Count; i++)
        {
            if (current.Count > 0 && bytes + sizes[i] > PageBytes)
            {
                pages.Add(current);
                current = new JsonArray();
                bytes = 0;
            }
            current.Add(ballots[i].DeepClone());
            bytes += sizes[i];
        }
        pages.Add(current);
        return pages;
    }

    /// <summary>A page's data before it is signed.</summary>
    public static JsonObject Page(string proposal, int page, int of, JsonArray ballots) => new()
    {
        ["type"] = PageType, ["proposal"] = proposal, ["page"] = page, ["of"] = of, ["ballots"] = ballots,
    };

    /// <summary>The proofValue of a signed page, which the tally pins.</summary>
    public static string? ProofValue(JsonElement page) =>
        page.TryGetProperty("proof", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("proofValue", out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString() : null;
}
