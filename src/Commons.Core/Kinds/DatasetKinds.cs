using System.Text.RegularExpressions;
using Commons.Core.Errors;

namespace Commons.Core.Kinds;

/// <summary>The kinds of dataset this node knows: those of every module built into it, whether turned on or not.</summary>
public interface IDatasetKinds
{
    IReadOnlyList<DatasetKind> All { get; }
    /// <summary>The kind named, or null for <see cref="DatasetKind.Custom"/> and unknown names.</summary>
    DatasetKind? Find(string name);
}

/// <summary>The registry the host builds once from its modules' kinds.</summary>
public sealed partial class DatasetKindRegistry : IDatasetKinds
{
    public static readonly DatasetKindRegistry Empty = new([]);

    private readonly Dictionary<string, DatasetKind> _byName;

    public DatasetKindRegistry(IEnumerable<DatasetKind> kinds)
    {
        _byName = new Dictionary<string, DatasetKind>(StringComparer.Ordinal);
        foreach (var kind in kinds)
        {
            if (!NamePattern().IsMatch(kind.Name))
                throw new InvalidOperationException($"kind name '{kind.Name}' must be module.name in lowercase letters, digits and '-'");
            if (kind.SchemaVersion < 1) throw new InvalidOperationException($"kind {kind.Name}: schema versions start at 1");
            if (!_byName.TryAdd(kind.Name, kind)) throw new InvalidOperationException($"two kinds are named '{kind.Name}'");
        }
        All = _byName.Values.OrderBy(k => k.Name, StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<DatasetKind> All { get; }

    public DatasetKind? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The kind named, or a validation error at <c>kind</c>; null for <see cref="DatasetKind.Custom"/>.</summary>
    public static DatasetKind? Resolve(IDatasetKinds kinds, string? name)
    {
        if (name is null or DatasetKind.Custom) return null;
        return kinds.Find(name) ?? throw ValidationException.For("kind", $"no kind '{name}' on this node", ProblemCodes.UnknownKind);
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*\\.[a-z][a-z0-9.-]*$")]
    private static partial Regex NamePattern();
}
