using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Modules.Credit.Kinds;

namespace Commons.Modules.Credit.Services.Membership;

/// <summary>
/// A group as its coordinating node offers it to this node, before joining: where it is defined (null: here), its id, this node's
/// account in it, the terms (unit, limits, timeout, euro worth) and the ledger of this node the group lists, which the
/// join uses (and creates when it does not exist yet).
/// </summary>
public sealed record GroupOffer(string? GroupDataset, string Group, string Account, JsonElement TermsJson, string LedgerActor, string LedgerSlug, bool LedgerExists)
{
    public GroupTerms Terms => GroupTerms.Of(TermsJson);

    /// <summary>The unit's name in the languages the group gives.</summary>
    public LocalizedText UnitName
    {
        get
        {
            var name = TermsJson.GetProperty("unit").GetProperty("name");
            string? In(string language) => name.TryGetProperty(language, out var v) ? v.GetString() : null;
            return new LocalizedText(In("fr"), In("nl"), In("en"));
        }
    }

    /// <summary>This node's own limits in the group (its override, else the group's).</summary>
    public GroupMember Own => Terms.Member(Account)!;
}
