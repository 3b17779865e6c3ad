using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Modules;

namespace Commons.Modules.Committee.Kinds;

/// <summary>
/// Committees, defined on their coordinating node; one record per committee. Shared with approved followers by default: the
/// member nodes read the member list, the weights and the governed settings from it. Each write keeps the terms in the
/// module's documents and binds the committee's proposals and decisions datasets to it.
/// </summary>
public sealed class CommitteeKind : DatasetKind
{
    public const string KindName = "committee.committee";

    public override string Name => KindName;
    public override int SchemaVersion => 1;
    public override string Schema { get; } = CommitteeSchemas.Read(KindName, 1);
    public override LocalizedText Title => new("Comité de pilotage : comités", "Stuurcomité: comités", "Steering committee: committees");
    public override SharingPolicy DefaultPolicy => SharingPolicy.Approval;
    public override IReadOnlyList<string> ProblemCodes => CommitteeCodes.OfCommittee;

    /// <summary>
    /// No member twice; the proposals and decisions datasets differ and belong to no other committee. A committee's
    /// deletion releases its datasets.
    /// </summary>
    public override void CheckWrite(RecordWrite write, IModuleData data)
    {
        var book = new CommitteeBook(data);
        var id = write.Next.Id;
        if (book.Committee(id) is { } old)
        {
            book.Unbind(old.Proposals);
            book.Unbind(old.Decisions);
        }
        if (write.IsDelete)
        {
            book.DeleteCommittee(id);
            return;
        }
        var terms = CommitteeTerms.Of(id, write.Next.Data);
        if (terms.Members.Select(m => m.Actor).Distinct(StringComparer.Ordinal).Count() != terms.Members.Count)
            throw new RuleViolationException(CommitteeCodes.CommitteeInvalid, "A member twice", "each member node is listed once", "members");
        if (terms.Proposals == terms.Decisions)
            throw new RuleViolationException(CommitteeCodes.CommitteeInvalid, "One dataset for two uses",
                "the proposals and the decisions are kept in two different datasets", "decisions");
        foreach (var slug in new[] { terms.Proposals, terms.Decisions })
            if (book.BoundTo(slug) is { } other && other != id)
                throw new RuleViolationException(CommitteeCodes.CommitteeInvalid, "Dataset in use",
                    $"dataset {slug} already belongs to committee {other}", slug == terms.Proposals ? "proposals" : "decisions");
        book.PutCommittee(id, write.Next.Data);
        book.Bind(terms.Proposals, id);
        book.Bind(terms.Decisions, id);
    }
}
