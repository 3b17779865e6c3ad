using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Core.Modules;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Modules.Committee.Kinds;
using Commons.Modules.Committee.Requests;
using Commons.Modules.Committee.Services;

namespace Commons.Modules.Committee.Pages;

/// <summary>Where a proposal is read: one of our proposals datasets (by its slug) or the copy of a followed one (by the subscription's id).</summary>
public sealed record ProposalSource(bool Followed, string Source, string ProposalsActor);

/// <summary>A proposal as the pages show it: where it is kept, its record's data and its terms.</summary>
public sealed record ProposalItem(ProposalSource Where, string Id, JsonElement Data, ProposalTerms Terms)
{
    public string Path => $"/committee/{(Where.Followed ? "followed" : "ours")}/{Uri.EscapeDataString(Where.Source)}/{Uri.EscapeDataString(Id)}";
}

/// <summary>This node's latest ballot on a proposal: the option sent and the coordinator's answer (pending, accepted, refused with its code).</summary>
public sealed record MyBallot(string? Option, ExchangeState State, string? Code, string? Detail, DateTimeOffset At);

/// <summary>A committee as its page shows it: where it is kept and its terms.</summary>
public sealed record CommitteeItem(string Id, bool Followed, string Where, JsonElement Data, CommitteeTerms Terms);

/// <summary>
/// What the committee's pages read, each permission decided from the <see cref="Caller"/>: our proposals and
/// decisions for members who may read their dataset, the copies of followed ones for any member who may read; the
/// organisation's ballots for administrators only (they alone cast them); writing a proposal or closing one for
/// stewards of its dataset. Nothing here goes to the network.
/// </summary>
public sealed class CommitteePages(DatasetService datasets, RecordService records, IDatasetStore datasetStore, ISubscriptionStore subscriptions,
    IReplicaStore replicas, IModuleStore modules, IObjectProofs proofs, IExchangeGateway gateway, CommitteeDecisionFinder decisions, TimeProvider clock)
{
    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>This node's actor: it signs the organisation's ballots, so it is how committees list this node.</summary>
    public string NodeActor => proofs.ActorOf(null);

    /// <summary>Every proposal the caller may read, ours and followed, the latest closing first.</summary>
    public IReadOnlyList<ProposalItem> Proposals(Caller caller)
    {
        var items = new List<ProposalItem>();
        foreach (var dataset in Ours(caller, ProposalsKind.KindName))
        {
            var source = new ProposalSource(false, dataset.Slug, proofs.ActorOf(dataset.Slug));
            string? cursor = null;
            do
            {
                var page = records.List(caller, dataset.Slug, new RecordQuery { Limit = 500, Cursor = cursor });
                items.AddRange(page.Items.Where(r => !r.Deleted).Select(r => Item(source, r.Id, r.Data)).OfType<ProposalItem>());
                cursor = page.NextCursor;
            } while (cursor is not null);
        }
        foreach (var sub in Followed(caller, ProposalsKind.KindName))
        {
            var source = new ProposalSource(true, sub.Id, sub.DatasetActor);
            foreach (var r in Replicas(sub.Id)) if (Item(source, r.RecordId, r.Data) is { } item) items.Add(item);
        }
        return items.OrderByDescending(i => i.Terms.Closes).ToList();
    }

    /// <summary>One proposal; 404 <c>proposal_unknown</c> when there is none the caller may read.</summary>
    public ProposalItem Proposal(Caller caller, bool followed, string source, string id)
    {
        ProposalItem? item = null;
        if (followed)
        {
            if (!caller.CanRead) throw new ForbiddenException("reading needs the read scope");
            if (subscriptions.Find(source) is { Kind: ProposalsKind.KindName } sub && replicas.Get(sub.Id, id) is { Deleted: false } r)
                item = Item(new ProposalSource(true, sub.Id, sub.DatasetActor), id, r.Data);
        }
        else
        {
            var dataset = datasets.Get(caller, source, AccessLevel.Read);
            if (dataset.Kind == ProposalsKind.KindName)
            {
                try { item = Item(new ProposalSource(false, dataset.Slug, proofs.ActorOf(dataset.Slug)), id, records.Get(caller, source, id).Data); }
                catch (NotFoundException) { }
            }
        }
        return item ?? throw new NotFoundException($"no proposal '{id}' in {source}", CommitteeCodes.ProposalUnknown);
    }

    /// <summary>Our proposals datasets whose steward the caller is: where a new proposal may be written.</summary>
    public IReadOnlyList<Dataset> WritableProposals(Caller caller) =>
        caller.CanWrite ? Ours(caller, ProposalsKind.KindName).Where(d => DatasetAccess.LevelOf(caller, d) >= AccessLevel.Steward).ToList() : [];

    public bool IsSteward(Caller caller, string slug) =>
        caller.CanWrite && datasetStore.Find(slug) is { } d && DatasetAccess.LevelOf(caller, d) >= AccessLevel.Steward;

    /// <summary>The committee whose proposals or decisions dataset of ours <paramref name="slug"/> is.</summary>
    public CommitteeTerms? CommitteeOf(string slug) => modules.Read(CommitteeBook.Module, data => new CommitteeBook(data).CommitteeOf(slug));

    /// <summary>The organisation's latest ballot on the proposal, for administrators; null for anyone else or when none was sent.</summary>
    public MyBallot? Ballot(Caller caller, string proposalsActor, string id)
    {
        if (!caller.IsAdmin) return null;
        var sent = gateway.Outgoing(VoteRequestHandler.Type, null, 500)
            .FirstOrDefault(e => e.TargetActor == proposalsActor && Text(e.Body, "proposal") == id);
        return sent is null ? null : new MyBallot(Text(sent.Body, "option"), sent.State, sent.Code, sent.Detail, sent.CreatedAt);
    }

    /// <summary>The decision of a proposal, ours or in a followed decisions dataset's copy; null when the caller may read none.</summary>
    public FoundDecision? Decision(Caller caller, string id)
    {
        if (!caller.CanRead) return null;
        try { return decisions.Find(id, local => datasets.Get(caller, local.Slug, AccessLevel.Read)); }
        catch (ForbiddenException) { return null; }
    }

    /// <summary>Every decision the caller may read, newest first.</summary>
    public IReadOnlyList<FoundDecision> Decisions(Caller caller)
    {
        if (!caller.CanRead) return [];
        var readable = Ours(caller, DecisionsKind.KindName).Select(d => d.Slug).ToHashSet(StringComparer.Ordinal);
        return decisions.All().Where(d => d.Dataset is null || readable.Contains(d.Dataset))
            .OrderByDescending(d => Text(d.Data, "decidedAt"), StringComparer.Ordinal).ToList();
    }

    /// <summary>The committees the caller may read: ours, and the copies of followed committee datasets.</summary>
    public IReadOnlyList<CommitteeItem> Committees(Caller caller)
    {
        var items = new List<CommitteeItem>();
        foreach (var dataset in Ours(caller, CommitteeKind.KindName))
            foreach (var r in records.List(caller, dataset.Slug, new RecordQuery { Limit = 100 }).Items.Where(r => !r.Deleted))
                if (Terms(r.Id, r.Data) is { } terms) items.Add(new CommitteeItem(r.Id, false, dataset.Slug, r.Data, terms));
        foreach (var sub in Followed(caller, CommitteeKind.KindName))
            foreach (var r in Replicas(sub.Id))
                if (Terms(r.RecordId, r.Data) is { } terms) items.Add(new CommitteeItem(r.RecordId, true, sub.Handle ?? sub.DatasetActor, r.Data, terms));
        return items;
    }

    /// <summary>Open proposals this node has no accepted ballot on, for its administrators: one dashboard line each.</summary>
    public IReadOnlyList<(ProposalItem Proposal, MyBallot? Ballot)> Unvoted(Caller caller)
    {
        if (!caller.IsAdmin) return [];
        var now = Now;
        return Proposals(caller).Where(p => p.Terms.IsOpenAt(now) && (p.Where.Followed || CommitteeOf(p.Where.Source)?.Member(NodeActor) is not null))
            .Select(p => (p, Ballot(caller, p.Where.ProposalsActor, p.Id)))
            .Where(x => x.Item2 is not { State: ExchangeState.Accepted }).ToList();
    }

    private IEnumerable<Dataset> Ours(Caller caller, string kind) =>
        caller.CanRead ? datasetStore.List().Where(d => d.Kind == kind && DatasetAccess.CanSee(caller, d)).OrderBy(d => d.Slug, StringComparer.Ordinal) : [];

    private IEnumerable<Subscription> Followed(Caller caller, string kind) =>
        caller.CanRead ? subscriptions.List().Where(s => s.Kind == kind && s.State == SubscriptionState.Accepted).OrderBy(s => s.Id, StringComparer.Ordinal) : [];

    private IEnumerable<ReplicaRecord> Replicas(string subscription)
    {
        string? after = null;
        while (true)
        {
            var page = replicas.List(subscription, after, 500);
            foreach (var r in page.Where(r => !r.Deleted)) yield return r;
            if (page.Count < 500) yield break;
            after = page[^1].RecordId;
        }
    }

    // A copy may hold what another node wrote: a record that does not read as a proposal is left out, not shown half.
    private static ProposalItem? Item(ProposalSource source, string id, JsonElement data)
    {
        try { return new ProposalItem(source, id, data, ProposalTerms.Of(id, data)); }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException) { return null; }
    }

    private static CommitteeTerms? Terms(string id, JsonElement data)
    {
        try { return CommitteeTerms.Of(id, data); }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException) { return null; }
    }

    internal static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
