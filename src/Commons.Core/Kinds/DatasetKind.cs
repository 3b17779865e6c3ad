using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Modules;

namespace Commons.Core.Kinds;

/// <summary>
/// A kind of dataset a module builds on: a fixed, versioned schema, the sharing a new dataset starts with, and the
/// rules every write must keep. Datasets without a module's kind are <see cref="Custom"/>: their stewards choose the
/// schema and no rule runs beyond it.
/// </summary>
public abstract class DatasetKind
{
    /// <summary>The kind of every dataset a member defines with a schema of their own.</summary>
    public const string Custom = "custom";

    /// <summary>
    /// Stable name, the module's name first: <c>place.bookings</c>. Lowercase letters, digits, '.' and '-';
    /// peers and the schema's URL know the kind by it, so it never changes.
    /// </summary>
    public abstract string Name { get; }

    /// <summary>The module the kind belongs to (its rules' data lives in that module's collections).</summary>
    public string Module => Name[..Name.IndexOf('.')];

    /// <summary>Version of <see cref="Schema"/>; grows by one with each change, and each older version's records are upgraded by <see cref="Upgrade"/>.</summary>
    public abstract int SchemaVersion { get; }

    /// <summary>The JSON Schema (2020-12) of the current version, as JSON text.</summary>
    public abstract string Schema { get; }

    public abstract LocalizedText Title { get; }

    /// <summary>The sharing a new dataset of this kind starts with (its steward may change it).</summary>
    public virtual SharingPolicy DefaultPolicy => SharingPolicy.Private;

    /// <summary>Fields that never leave the node unless a steward decides otherwise.</summary>
    public virtual IReadOnlyList<string> DefaultExcludedFields => [];

    /// <summary>
    /// The kind's rules. Runs inside the store transaction that writes the record and its change-feed entry, after the
    /// schema check, with the module's collections bound to that transaction: what it reads no concurrent write can
    /// change before the commit, and what it writes commits or rolls back with the record. Refuse by throwing a
    /// <see cref="RuleConflictException"/> (409: the write collides with what is stored) or a
    /// <see cref="RuleViolationException"/> (422: the write breaks a rule whatever else is stored); nothing is written.
    /// Keep it short: every write to the node waits for it.
    /// </summary>
    public virtual void CheckWrite(RecordWrite write, IModuleData data) { }

    /// <summary>
    /// Runs inside the transaction that deletes a dataset of this kind (its records and feed go with it), with the
    /// module's collections bound to it: remove what the kind's rules keep about the dataset, so nothing stale stays
    /// behind (a resource id still "taken", a booking's hold). Throw a rule exception to refuse the deletion (e.g.
    /// bookings to come); then nothing is deleted. <paramref name="at"/> is the time of the deletion.
    /// </summary>
    public virtual void OnDatasetDeleted(Dataset dataset, DateTimeOffset at, IModuleData data) { }

    /// <summary>
    /// Brings a record's data written under schema version <paramref name="fromVersion"/> to version
    /// <paramref name="fromVersion"/> + 1. Run by the store migration when a dataset's kind version is behind.
    /// </summary>
    public virtual JsonElement Upgrade(int fromVersion, JsonElement data) =>
        throw new InvalidOperationException($"kind {Name} has no upgrade from schema version {fromVersion}");

    /// <summary>
    /// Runs inside a dataset's upgrade transaction for each of its live records, changed or not, after
    /// <see cref="Upgrade"/>, with the module's collections bound to that transaction: build what the rules of the
    /// new version keep about records that the older version did not (the rules do not run on an upgrade).
    /// </summary>
    public virtual void OnUpgraded(string dataset, int fromVersion, Records.Record record, IModuleData data) { }

    /// <summary>
    /// The governed setting (<see cref="Governance.GovernedSettings"/>) and its scope that a write from
    /// <paramref name="before"/> (null: a new record) to <paramref name="after"/> (null: a delete) changes, if any:
    /// the write then needs an adopted decision while a committee governs that setting (<see cref="Governance.GovernedRecordWrites"/>).
    /// </summary>
    public virtual (string Setting, string Scope)? GovernedChange(Datasets.Dataset dataset, JsonElement? before, JsonElement? after) => null;

    /// <summary>How long a node that sent a request to a dataset of this kind waits for the answer before it marks it expired.</summary>
    public virtual TimeSpan RequestTimeout => TimeSpan.FromDays(2);

    /// <summary>
    /// Request types whose data this node's exchanges API and pages never show for requests to a dataset of this kind
    /// (a ballot before the tally is published): only the module reads it, through <see cref="Exchanges.IExchangeGateway"/>.
    /// The exchange itself — who asked, when, in which state — stays visible to its stewards.
    /// </summary>
    public virtual IReadOnlySet<string> SealedRequestTypes => EmptySet;

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();

    /// <summary>The problem codes the kind's rules and requests may answer with (listed in docs/problems.md).</summary>
    public virtual IReadOnlyList<string> ProblemCodes => [];
}
