using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Core.Kinds;
using Commons.Core.Members;
using Commons.Core.Modules;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Views;

namespace Commons.Modules.Credit.Services.Membership;

/// <summary>
/// Joining an exchange group by its coordinating node's group dataset (handle or URL), and everything a member needs
/// after that, kept in step with the group: the ledger shared <c>peers</c> with the other members' nodes (and only
/// them), every other member's ledger followed (the group audit reads their statements), the group's terms (limits,
/// timeout, euro worth) read again from the coordinating node. <see cref="ApplyAsync"/> does it for one ledger and is
/// idempotent; the refresh pass (<see cref="MembershipRefreshLoop"/>) runs it for every joined ledger, so a member that
/// was down, or had not joined yet, is followed at a later pass, and a member removed from the group loses access to
/// our ledger (the allow-list no longer names it; the platform revokes its follow) and is no longer followed.
/// Only an administrator joins: the join changes the ledger's sharing and the node's follows.
/// </summary>
public sealed class CreditMembership(CreditLedgers ledgers, CreditService credit, DatasetService datasets, IRemoteDatasetViews views,
    IModuleStore modules, IRecordStore records, IEnumerable<IDatasetFollows> follows, TimeProvider clock)
{
    /// <summary>Who the refresh pass acts as: the node itself, as an administrator (its changes are recorded under this name).</summary>
    public static readonly Caller NodeCaller = new("credit-membership", MemberRole.Admin, TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin);

    private readonly IDatasetFollows? _follows = follows.FirstOrDefault();
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// The group the coordinating node at <paramref name="address"/> offers this node (<paramref name="group"/> when it
    /// lists this node in several). <c>not_listed</c> when it lists this node in none; <c>origin_unreachable</c>.
    /// </summary>
    public async Task<GroupOffer> OfferAsync(Caller caller, string address, string? group, CancellationToken ct)
    {
        RequireAdmin(caller);
        if (string.IsNullOrWhiteSpace(address)) throw ValidationException.For("address", "required");
        if (LocalGroups(caller, address.Trim()) is { } local) return OfferHere(local, group);
        var groupDataset = await ResolveAsync(address.Trim(), ct);
        JsonElement shown;
        try
        {
            shown = await views.FetchAsync(groupDataset, MembershipsView.ViewName, new Dictionary<string, string>(), ct);
        }
        catch (NotFoundException)
        {
            throw new RuleViolationException(CreditCodes.NotListed, "Not listed", $"{groupDataset} shows this node no exchange group", "address");
        }
        var offered = shown.TryGetProperty("groups", out var g) && g.ValueKind == JsonValueKind.Array ? g.EnumerateArray().ToList() : [];
        if (!string.IsNullOrWhiteSpace(group)) offered = offered.Where(o => o.GetProperty("group").GetString() == group.Trim()).ToList();
        if (offered.Count == 0)
            throw new RuleViolationException(CreditCodes.NotListed, "Not listed", string.IsNullOrWhiteSpace(group)
                ? $"no exchange group at {groupDataset} lists this node as a member" : $"group '{group}' at {groupDataset} does not list this node as a member", "address");
        if (offered.Count > 1)
            throw ValidationException.For("group", "this node is a member of several groups there: " + string.Join(", ", offered.Select(o => o.GetProperty("group").GetString())));
        var chosen = offered[0];
        var (id, account, terms) = (chosen.GetProperty("group").GetString()!, chosen.GetProperty("account").GetString()!, chosen.GetProperty("terms").Clone());
        var member = Terms(terms).Member(account) ?? throw new RuleViolationException(CreditCodes.NotListed, "Not listed", $"group '{id}' does not list {account}", "address");
        return Offer(groupDataset, id, account, terms, member.Ledger);
    }

    private GroupOffer Offer(string? groupDataset, string group, string account, JsonElement terms, string ledgerActor)
    {
        var slug = LedgerSlugOf(ledgerActor);
        return new GroupOffer(groupDataset, group, account, terms, ledgerActor, slug, ledgers.All().Any(d => d.Slug == slug));
    }

    /// <summary>Our own groups dataset when <paramref name="address"/> names one (its slug, handle on our host or URL): the coordinating node joins its own group.</summary>
    private Dataset? LocalGroups(Caller caller, string address)
    {
        if (_follows is null) return null;
        var prefix = _follows.OwnDatasetActor("");
        var host = new Uri(prefix).Authority;
        var slug = address.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? address[prefix.Length..].TrimEnd('/')
            : address.TrimStart('@').Split('@') is [var s, var h] && string.Equals(h, host, StringComparison.OrdinalIgnoreCase) ? s
            : null;
        if (slug is null) return null;
        var dataset = datasets.Get(caller, slug);
        return dataset.Kind == GroupKind.KindName ? dataset : throw ValidationException.For("address", $"{slug} holds no exchange groups", ProblemCodes.NotADataset);
    }

    /// <summary>The group of our own groups dataset that lists one of our ledgers.</summary>
    private GroupOffer OfferHere(Dataset groupsDataset, string? group)
    {
        var offered = new List<(string Id, JsonElement Terms, GroupMember Member)>();
        string? cursor = null;
        do
        {
            var page = records.Query(groupsDataset.Key, new RecordQuery { Limit = 200, Cursor = cursor });
            foreach (var r in page.Items.Where(r => !r.Deleted && (string.IsNullOrWhiteSpace(group) || r.Id == group.Trim())))
                if (GroupTerms.Of(r.Data).Members.FirstOrDefault(m => IsOurs(m.Ledger)) is { } ours) offered.Add((r.Id, r.Data.Clone(), ours));
            cursor = page.NextCursor;
        } while (cursor is not null);
        if (offered.Count == 0) throw new RuleViolationException(CreditCodes.NotListed, "Not listed", $"no group of {groupsDataset.Slug} lists a ledger of this node", "address");
        if (offered.Count > 1) throw ValidationException.For("group", "this node is a member of several groups there: " + string.Join(", ", offered.Select(o => o.Id)));
        var (id, terms, member) = offered[0];
        return Offer(null, id, member.Actor, terms, member.Ledger);
    }

    private bool IsOurs(string ledgerActor) =>
        Uri.TryCreate(ledgerActor, UriKind.Absolute, out var u) && _follows!.OwnDatasetActor(Uri.UnescapeDataString(u.AbsolutePath.TrimEnd('/').Split('/')[^1])) == ledgerActor;

    /// <summary>
    /// Joins the group <see cref="OfferAsync"/> finds: the ledger the group lists for this node (created when missing),
    /// bound to the group with the fetched terms, then shared and followed (<see cref="ApplyAsync"/>).
    /// <c>already_joined</c> when that ledger has joined a group already.
    /// </summary>
    public async Task<MembershipState> JoinAsync(Caller caller, string address, string? group, CancellationToken ct)
    {
        var offer = await OfferAsync(caller, address, group, ct);
        if (ledgers.Read(b => b.Binding(offer.LedgerSlug)) is { } bound)
            throw new ConflictException($"ledger {offer.LedgerSlug} has joined group '{bound.Group}' already", CreditCodes.AlreadyJoined);
        if (!offer.LedgerExists)
            datasets.Create(caller, new DatasetDraft
            {
                Slug = offer.LedgerSlug, Kind = LedgerKind.KindName, Policy = SharingPolicy.Peers, AllowedPeers = [],
                Title = new LocalizedText($"Compte {offer.Terms.Symbol}", $"Rekening {offer.Terms.Symbol}", $"Account {offer.Terms.Symbol}"),
            });
        credit.Join(caller, offer.LedgerSlug, offer.Group, offer.GroupDataset is null ? null : offer.TermsJson, offer.Account);
        Adopt(offer.LedgerSlug, offer.Group, offer.GroupDataset, offer.Account);
        return await ApplyAsync(offer.LedgerSlug, ct);
    }

    /// <summary>Records that <paramref name="ledger"/> joined (through any path), keeping what earlier passes shared and followed.</summary>
    public void Adopt(string ledger, string group, string? groupDataset, string account) => MembershipBook.Write(modules, book =>
    {
        var kept = book.Find(ledger);
        book.Put(new MembershipState(ledger, group, groupDataset, account, kept?.SharedHosts ?? [], kept?.Followed ?? [], kept?.CheckedAt, null, null));
    });

    /// <summary>Whether the caller may join a group (pages ask before showing the form).</summary>
    public static bool MayJoin(Caller caller) => caller.IsAdmin && caller.CanWrite;

    /// <summary>The joined ledgers' memberships, as the last pass left them.</summary>
    public IReadOnlyList<MembershipState> List(Caller caller) =>
        MembershipBook.Read(modules, b => b.All()).Where(m => Visible(caller, m.Ledger)).ToList();

    /// <summary>Where our follow of a member's ledger stands: accepted, pending, rejected, ended, stopped, or none.</summary>
    public string FollowState(string ledgerActor) => _follows?.Find(ledgerActor)?.State.ToString().ToLowerInvariant() ?? "none";

    /// <summary>Every joined ledger's membership applied again now, at an administrator's asking.</summary>
    public Task RefreshAsync(Caller caller, CancellationToken ct)
    {
        RequireAdmin(caller);
        return RefreshAllAsync(ct);
    }

    /// <summary>Every joined ledger's membership applied again; a failure in one is kept on it and does not stop the others.</summary>
    public async Task RefreshAllAsync(CancellationToken ct)
    {
        foreach (var m in MembershipBook.Read(modules, b => b.All()))
            await ApplyAsync(m.Ledger, ct);
    }

    /// <summary>
    /// Reads the group's terms again (from the coordinating node, or this node's own group), then shares the ledger
    /// with the other members' nodes and follows their ledgers; drops members no longer listed. A member not reachable
    /// now is left for the next pass; the pass's problem is kept on the membership.
    /// </summary>
    public async Task<MembershipState> ApplyAsync(string ledger, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var m = MembershipBook.Read(modules, b => b.Find(ledger)) ?? throw new NotFoundException($"ledger {ledger} has joined no group");
            if (ledgers.All().All(d => d.Slug != ledger))
            {
                MembershipBook.Write(modules, b => b.Forget(ledger));
                return m;
            }
            var (terms, problem) = await TermsAsync(m, ct);
            var others = terms?.Members.Where(x => x.Actor != m.Account).ToList() ?? [];
            var hosts = others.Select(x => HostOf(x.Actor)).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
            Share(ledger, m.SharedHosts, hosts);
            var wanted = others.Select(x => x.Ledger).ToList();
            var failed = await FollowAsync(m.Followed, wanted, ct);
            problem ??= failed;
            var next = m with
            {
                SharedHosts = hosts, Followed = wanted, CheckedAt = clock.GetUtcNow(), Problem = problem?.Code, ProblemDetail = problem?.Detail,
            };
            MembershipBook.Write(modules, b => b.Put(next));
            return next;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(GroupTerms? Terms, CommonsException? Problem)> TermsAsync(MembershipState m, CancellationToken ct)
    {
        if (m.GroupDataset is not { } remote) return (ledgers.Read(b => b.Group(m.Group)), null);
        try
        {
            var view = await views.FetchAsync(remote, GroupTermsView.ViewName, new Dictionary<string, string> { ["group"] = m.Group }, ct);
            var json = view.GetProperty("terms").Clone();
            var terms = Terms(json);
            if (terms.Member(m.Account) is null) return (null, new RuleViolationException(CreditCodes.NotListed, "Not listed", $"group '{m.Group}' no longer lists {m.Account}"));
            ledgers.Write(b =>
            {
                b.PutGroup(m.Group, json);
                return 0;
            });
            return (terms, null);
        }
        catch (NotFoundException)
        {
            // The coordinating node shows us the group no more: we were removed from it. Nothing stays shared or followed.
            return (null, new RuleViolationException(CreditCodes.NotListed, "Not listed", $"{remote} no longer shows this node group '{m.Group}'"));
        }
        catch (CommonsException e)
        {
            // Unreachable now: the terms known stay in force, and the next pass asks again.
            return (ledgers.Read(b => b.Group(m.Group)), e);
        }
    }

    /// <summary>The ledger shared <c>peers</c>: hosts this membership added and no longer wants are taken off, the members' hosts added, others kept.</summary>
    private void Share(string ledger, IReadOnlyList<string> before, IReadOnlyList<string> hosts)
    {
        var dataset = ledgers.Dataset(ledger);
        var allowed = dataset.AllowedPeers.Where(h => !before.Contains(h, StringComparer.OrdinalIgnoreCase) || hosts.Contains(h, StringComparer.OrdinalIgnoreCase))
            .Concat(hosts).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (dataset.Policy == SharingPolicy.Peers && allowed.ToHashSet(StringComparer.OrdinalIgnoreCase).SetEquals(dataset.AllowedPeers)) return;
        datasets.Update(NodeCaller, ledger, new DatasetDraft { Policy = SharingPolicy.Peers, AllowedPeers = allowed });
    }

    /// <summary>Follows each wanted ledger not followed (or refused, or ended) and unfollows those no longer wanted; the first failure is returned.</summary>
    private async Task<CommonsException?> FollowAsync(IReadOnlyList<string> before, IReadOnlyList<string> wanted, CancellationToken ct)
    {
        if (_follows is null) return null;
        CommonsException? failed = null;
        foreach (var gone in before.Except(wanted))
            _follows.Unfollow(NodeCaller, gone);
        foreach (var ledger in wanted)
        {
            if (_follows.Find(ledger) is { State: SubscriptionState.Pending or SubscriptionState.Accepted or SubscriptionState.Stopped }) continue;
            try
            {
                await _follows.FollowAsync(NodeCaller, ledger, ct);
            }
            catch (CommonsException e)
            {
                failed ??= e;
            }
        }
        return failed;
    }

    private async Task<string> ResolveAsync(string address, CancellationToken ct)
    {
        if (_follows is not null) return await _follows.ResolveAsync(address, "address", ct);
        return Uri.TryCreate(address, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
            ? u.ToString().TrimEnd('/') : throw ValidationException.For("address", "the group dataset's URL");
    }

    /// <summary>The slug of our dataset at <paramref name="ledgerActor"/>; <c>ledger_not_here</c> when it is no address of this node.</summary>
    private string LedgerSlugOf(string ledgerActor)
    {
        var slug = Uri.TryCreate(ledgerActor, UriKind.Absolute, out var u) ? Uri.UnescapeDataString(u.AbsolutePath.TrimEnd('/').Split('/')[^1]) : "";
        if (slug.Length == 0 || (_follows is not null && _follows.OwnDatasetActor(slug) != ledgerActor))
            throw new RuleViolationException(CreditCodes.LedgerNotHere, "Not this node's ledger", $"the group lists {ledgerActor} as this node's ledger, which is no dataset of this node", "address");
        return slug;
    }

    private bool Visible(Caller caller, string ledger)
    {
        try { datasets.Get(caller, ledger, AccessLevel.Read); return true; }
        catch (CommonsException) { return false; }
    }

    private static string? HostOf(string actor) => Uri.TryCreate(actor, UriKind.Absolute, out var u) ? u.Authority.ToLowerInvariant() : null;

    private static GroupTerms Terms(JsonElement json)
    {
        try { return GroupTerms.Of(json); }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new OriginUnreachableException("the coordinating node answered terms that are no exchange group");
        }
    }

    private static void RequireAdmin(Caller caller)
    {
        if (!caller.IsAdmin) throw new ForbiddenException("only an administrator joins an exchange group (it changes the ledger's sharing and the node's follows)");
        DatasetAccess.RequireWrite(caller);
    }
}
