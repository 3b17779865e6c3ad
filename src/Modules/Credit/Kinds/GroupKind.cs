using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Modules;

namespace Commons.Modules.Credit.Kinds;

/// <summary>
/// Exchange groups, defined on their coordinating node; one record per group, its id the group's. Public by default:
/// the members read the unit, the member list and the limits from it. Each write keeps the terms in the module's
/// documents, where the ledgers' rules read them in their own writes.
/// </summary>
public sealed class GroupKind : DatasetKind
{
    public const string KindName = "credit.group";

    public override string Name => KindName;
    public override int SchemaVersion => 1;
    public override string Schema { get; } = CreditSchemas.Read(KindName, 1);
    public override LocalizedText Title => new("Crédit mutuel : groupes d’échange", "Onderling krediet: ruilgroepen", "Mutual credit: exchange groups");
    public override SharingPolicy DefaultPolicy => SharingPolicy.Public;
    public override IReadOnlyList<string> ProblemCodes => CreditCodes.OfGroup;

    /// <summary>
    /// The lowest balance is zero or less and the highest zero or more (so an account that never traded is within its
    /// limits), for the group and each member's override; every amount fits the unit's precision; no member twice.
    /// </summary>
    public override void CheckWrite(RecordWrite write, IModuleData data)
    {
        var book = new CreditBook(data);
        if (write.IsDelete)
        {
            book.DeleteGroup(write.Next.Id);
            return;
        }
        var precision = write.Next.Data.GetProperty("unit").GetProperty("precision").GetInt32();
        foreach (var (path, text) in AmountsOf(write.Next.Data))
            if (Amounts.DecimalsOf(text) > precision)
                throw new RuleViolationException(CreditCodes.AmountPrecision, "Too many decimals",
                    $"{path} has more than the unit's {precision} decimals", path);
        var terms = GroupTerms.Of(write.Next.Data);
        foreach (var (who, lowest, highest) in terms.Members.Select(m => (m.Actor, m.Lowest, m.Highest)).Prepend(("the group", terms.Lowest, terms.Highest)))
            if (lowest > 0 || highest < 0)
                throw new RuleViolationException(CreditCodes.GroupInvalid, "Limits around zero",
                    $"{who}: the lowest balance is zero or less and the highest zero or more");
        if (terms.Members.Select(m => m.Actor).Distinct().Count() != terms.Members.Count || terms.Members.Select(m => m.Ledger).Distinct().Count() != terms.Members.Count)
            throw new RuleViolationException(CreditCodes.GroupInvalid, "A member twice", "each member node and ledger is listed once", "members");
        if (terms.EuroValue < 0)
            throw new RuleViolationException(CreditCodes.GroupInvalid, "Negative euro value", "one unit is worth zero euros or more", "euroValue");
        if (!LimitsPass.Admits(data, write.Dataset.Key, write.Next.Id, write.Previous?.Data, write.Current is { Deleted: true }, write.Next.Data))
            throw new RuleConflictException(CreditCodes.LimitsGoverned, "Limits change through their own door",
                "a group's limits change only through PUT /api/credit/groups/{groups}/{group}/limits (or `credit limits`), which a committee may govern");
        book.PutGroup(write.Next.Id, write.Next.Data);
    }

    private static IEnumerable<(string Path, string Text)> AmountsOf(JsonElement group)
    {
        yield return ("lowest", group.GetProperty("lowest").GetString()!);
        yield return ("highest", group.GetProperty("highest").GetString()!);
        var i = 0;
        foreach (var m in group.GetProperty("members").EnumerateArray())
        {
            if (m.TryGetProperty("lowest", out var l)) yield return ($"members/{i}/lowest", l.GetString()!);
            if (m.TryGetProperty("highest", out var h)) yield return ($"members/{i}/highest", h.GetString()!);
            i++;
        }
    }
}
