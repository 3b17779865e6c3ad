using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Modules.Credit.Kinds;

namespace Commons.Modules.Credit.Audit;

/// <summary>
/// A member ledger's balance statement as it publishes it to its group (view <c>statement</c>), before its FEP-8b32
/// proof by the ledger's dataset actor: <c>{"type":"commons:CreditStatement","group","ledger","member","unit",
/// "balance","count","head","at"}</c>, the balance as decimal text, <c>at</c> in UTC (spec/federation.md §12, credit).
/// </summary>
public static class StatementDocument
{
    public const string Type = "commons:CreditStatement";

    public static JsonElement Of(string group, string ledgerActor, string member, string unit, AccountState account, DateTimeOffset at) =>
        JsonSerializer.SerializeToElement(new JsonObject
        {
            ["type"] = Type, ["group"] = group, ["ledger"] = ledgerActor, ["member"] = member, ["unit"] = unit,
            ["balance"] = Amounts.Text(account.Balance), ["count"] = account.Count, ["head"] = account.Head,
            ["at"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        });

    /// <summary>
    /// The statement in <paramref name="doc"/> if it is one of <paramref name="member"/>'s ledger <paramref name="ledgerActor"/>
    /// for <paramref name="group"/>; null when it is malformed or speaks of another.
    /// </summary>
    public static BalanceStatement? Read(JsonElement doc, string group, string ledgerActor, string member, bool verified)
    {
        try
        {
            if (doc.GetProperty("type").GetString() != Type || doc.GetProperty("group").GetString() != group
                || doc.GetProperty("ledger").GetString() != ledgerActor || doc.GetProperty("member").GetString() != member) return null;
            return new BalanceStatement(member, Amounts.Parse(doc.GetProperty("balance").GetString()!), doc.GetProperty("count").GetInt64(),
                doc.GetProperty("head").GetString()!, verified);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            return null;
        }
    }
}
