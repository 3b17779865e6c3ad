using Commons.Core.Access;
using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Governance;
using Commons.Core.Kinds;
using Commons.Core.Members;
using Commons.Core.Modules;
using Commons.Core.Records;
using Commons.Core.Schemas;

namespace Commons.Core.Services;

/// <summary>
/// Creating, changing and deleting datasets, their sharing rules and member grants. A dataset's sharing (policy,
/// allowed peers, excluded fields) is the governed setting <see cref="GovernedSettings.DatasetPolicy"/> (scope: the
/// slug): while a committee governs it, a change of sharing, or a new dataset shared otherwise than its kind's default,
/// needs the adopted decision that authorises it (<see cref="DatasetSharingGovernance"/>).
/// </summary>
public sealed class DatasetService(IDatasetStore datasets, IRecordStore records, IMemberStore members, TimeProvider clock,
    IChangeNotifier? notifier = null, IDatasetKinds? kinds = null, IModuleSwitches? switches = null, IEnumerable<IGovernance>? governance = null)
{
    private readonly DatasetSharingGovernance _sharing = new(governance ?? []);
    private readonly IChangeNotifier _notifier = notifier ?? NoChangeNotifier.Instance;
    private readonly IDatasetKinds _kinds = kinds ?? DatasetKindRegistry.Empty;
    private readonly IModuleSwitches _switches = switches ?? AllModulesOn.Instance;

    /// <summary>The kinds of dataset a member may create here besides <see cref="DatasetKind.Custom"/>: those of the modules that are on.</summary>
    public IReadOnlyList<DatasetKind> Kinds => _kinds.All.Where(k => _switches.IsOn(k.Module)).ToList();

    public IReadOnlyList<Dataset> ListVisible(Caller caller) =>
        datasets.List().Where(d => DatasetAccess.CanSee(caller, d)).OrderBy(d => d.Slug, StringComparer.Ordinal).ToList();

    /// <summary>The dataset if the caller may see it at <paramref name="level"/>; not found (or forbidden) otherwise.</summary>
    public Dataset Get(Caller caller, string slug, AccessLevel level = AccessLevel.Read)
    {
        var dataset = datasets.Find(slug) ?? throw new NotFoundException($"no dataset '{slug}'");
        DatasetAccess.Require(caller, dataset, level);
        return dataset;
    }

    public Dataset Create(Caller caller, DatasetDraft draft)
    {
        DatasetAccess.RequireWrite(caller);
        var kind = DatasetKindRegistry.Resolve(_kinds, draft.Kind);
        if (kind is not null && !_switches.IsOn(kind.Module))
            throw ValidationException.For("kind", $"the module '{kind.Module}' of kind '{kind.Name}' is off on this node", ProblemCodes.ModuleOff);
        // A kind fixes the schema: its rules are written against it.
        if (kind is not null && draft.Schema is not null)
            throw ValidationException.For("schema", $"a dataset of kind '{kind.Name}' has the kind's schema", ProblemCodes.KindSchemaFixed);
        var now = clock.GetUtcNow();
        var schema = kind?.Schema ?? (draft.Schema is null ? DatasetRules.OpenSchema : DatasetRules.CheckSchema(draft.Schema));
        var dataset = new Dataset
        {
            Slug = Slugs.Check(draft.Slug),
            Kind = kind?.Name ?? DatasetKind.Custom,
            KindVersion = kind?.SchemaVersion ?? 0,
            Title = DatasetRules.CheckTitle(draft.Title),
            Description = DatasetRules.CheckDescription(draft.Description),
            Schema = schema,
            License = DatasetRules.CheckLicense(draft.License),
            Policy = draft.Policy ?? kind?.DefaultPolicy ?? SharingPolicy.Private,
            AllowedPeers = DatasetRules.CheckPeers(draft.AllowedPeers),
            ExcludedFields = DatasetRules.CheckExclusions(draft.ExcludedFields ?? kind?.DefaultExcludedFields),
            TitleField = DatasetRules.CheckTitleField(draft.TitleField, schema),
            Columns = DatasetRules.CheckColumns(draft.Columns, schema),
            Grants = caller.IsAdmin ? [] : [new DatasetGrant(caller.Username, GrantRole.Steward)],
            CreatedAt = now,
            CreatedBy = caller.Username,
            UpdatedAt = now,
        };
        var authorised = _sharing.CheckCreate(dataset, kind, draft.Decision, caller.Username);
        var created = datasets.Create(dataset);
        _sharing.Record(authorised);
        return created;
    }

    /// <summary>Changes settings (stewards only). A schema change must accept every live record; a sharing change enters the feed.</summary>
    public Dataset Update(Caller caller, string slug, DatasetDraft draft, long? expectedVersion = null)
    {
        var (current, updated) = Propose(caller, slug, draft, expectedVersion);
        if (updated.Schema != current.Schema) EnsureRecordsMeet(updated);
        var authorised = _sharing.CheckChange(current, updated, draft.Decision, caller.Username);
        var saved = Save(caller, current, updated);
        _sharing.Record(authorised);
        return saved;
    }

    /// <summary>The dataset's changes of sharing, newest first, with the decision behind each; empty while nothing governs them.</summary>
    public IReadOnlyList<GovernedChange> SharingHistory(Caller caller, string slug, int limit = 100) =>
        _sharing.History(Get(caller, slug).Slug, limit);

    /// <summary>
    /// The dataset as <see cref="Update"/> would store it, with the same checks (access, version, every setting) but
    /// nothing stored and the records not yet checked against a new schema: what a steward is shown before a change
    /// that needs a confirmation (a policy change that revokes followers).
    /// </summary>
    public Dataset Preview(Caller caller, string slug, DatasetDraft draft, long? expectedVersion = null)
    {
        var (current, updated) = Propose(caller, slug, draft, expectedVersion);
        // Refused now rather than after the steward has confirmed what the change would revoke.
        _sharing.CheckChange(current, updated, draft.Decision, caller.Username);
        return updated;
    }

    private (Dataset Current, Dataset Updated) Propose(Caller caller, string slug, DatasetDraft draft, long? expectedVersion)
    {
        var current = Get(caller, slug, AccessLevel.Steward);
        if (expectedVersion is { } v && v != current.Version)
            throw new PreconditionFailedException($"dataset '{slug}' is at version {current.Version}, not {v}", current.Version);
        if (draft.Slug is not null && draft.Slug != current.Slug)
            throw ValidationException.For("slug", "a dataset's slug never changes (peers know the dataset by it)");
        if (draft.Kind is not null && draft.Kind != current.Kind)
            throw ValidationException.For("kind", "a dataset's kind never changes");
        if (current.Kind != DatasetKind.Custom && draft.Schema is not null && draft.Schema != current.Schema)
            throw ValidationException.For("schema", $"a dataset of kind '{current.Kind}' has the kind's schema", ProblemCodes.KindSchemaFixed);

        var updated = current with
        {
            Title = draft.Title is null ? current.Title : DatasetRules.CheckTitle(draft.Title),
            Description = draft.Description is null ? current.Description : DatasetRules.CheckDescription(draft.Description),
            Schema = draft.Schema is null ? current.Schema : DatasetRules.CheckSchema(draft.Schema),
            License = draft.License is null ? current.License : DatasetRules.CheckLicense(draft.License),
            Policy = draft.Policy ?? current.Policy,
            AllowedPeers = draft.AllowedPeers is null ? current.AllowedPeers : DatasetRules.CheckPeers(draft.AllowedPeers),
            ExcludedFields = draft.ExcludedFields is null ? current.ExcludedFields : DatasetRules.CheckExclusions(draft.ExcludedFields),
            UpdatedAt = clock.GetUtcNow(),
            Version = current.Version + 1,
        };
        // Display choices are checked against the schema the dataset will have; kept ones a new schema lacks are ignored when shown.
        updated = updated with
        {
            TitleField = draft.TitleField is null ? current.TitleField : DatasetRules.CheckTitleField(draft.TitleField, updated.Schema),
            Columns = draft.Columns is null ? current.Columns : DatasetRules.CheckColumns(draft.Columns, updated.Schema),
        };
        return (current, updated);
    }

    public Dataset SetGrant(Caller caller, string slug, string username, GrantRole role)
    {
        var current = Get(caller, slug, AccessLevel.Steward);
        // A body without a role binds to 0; stored, it would be a grant no listing can describe.
        if (!Enum.IsDefined(role)) throw ValidationException.For("role", "a role: viewer, editor or steward");
        username = Usernames.Normalize(username);
        if (members.Find(username) is null) throw ValidationException.For("username", $"no member '{username}'");
        var grants = current.Grants.Where(g => g.Username != username).Append(new DatasetGrant(username, role)).ToList();
        return Save(caller, current, current with { Grants = grants, UpdatedAt = clock.GetUtcNow(), Version = current.Version + 1 });
    }

    public Dataset RemoveGrant(Caller caller, string slug, string username)
    {
        var current = Get(caller, slug, AccessLevel.Steward);
        username = Usernames.Normalize(username);
        if (current.Grants.All(g => g.Username != username)) throw new NotFoundException($"'{username}' has no grant on '{slug}'");
        var grants = current.Grants.Where(g => g.Username != username).ToList();
        if (!grants.Any(g => g.Role == GrantRole.Steward) && !caller.IsAdmin && current.GrantOf(caller.Username) == GrantRole.Steward && username == caller.Username)
            throw new ConflictException("the last steward cannot remove their own grant; an administrator can");
        return Save(caller, current, current with { Grants = grants, UpdatedAt = clock.GetUtcNow(), Version = current.Version + 1 });
    }

    public void Delete(Caller caller, string slug)
    {
        var current = Get(caller, slug, AccessLevel.Steward);
        // A kind whose code is gone leaves its module's documents: only the kind knows what they mean.
        if (current.Kind != DatasetKind.Custom && _kinds.Find(current.Kind) is { } kind)
            datasets.Delete(current, kind.Module, data => kind.OnDatasetDeleted(current, clock.GetUtcNow(), data));
        else
            datasets.Delete(current);
    }

    private Dataset Save(Caller caller, Dataset current, Dataset updated)
    {
        ChangeKind? kind = DatasetRules.SharingChanged(current, updated) ? ChangeKind.DatasetSharing
            // A private dataset has no actor outside; going non-private is a sharing change, which sends the actor anyway.
            : DatasetRules.ProfileChanged(current, updated) && updated.Policy != SharingPolicy.Private ? ChangeKind.DatasetProfile
            : null;
        var change = kind is { } k ? new ChangeDraft(k, null, null, caller.Username, updated.UpdatedAt) : null;
        // Update has returned, so the change is committed; the fan-out is told only then.
        if (datasets.Update(updated, change) is not null) _notifier.ChangesCommitted(updated.Key);
        return updated;
    }

    private void EnsureRecordsMeet(Dataset dataset)
    {
        var schema = RecordSchema.For(dataset.Schema);
        string? cursor = null;
        do
        {
            var page = records.Query(dataset.Key, new RecordQuery { Limit = 500, Cursor = cursor });
            foreach (var r in page.Items)
            {
                var errors = schema.Validate(r.Data);
                if (errors.Count > 0)
                    throw ValidationException.For("schema", $"record '{r.Id}' does not meet the new schema ({errors[0].Path}: {errors[0].Message}); change the record first");
            }
            cursor = page.NextCursor;
        } while (cursor is not null);
    }
}
