using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Kinds;
using Commons.Core.Records;

namespace Commons.Core.Services;

/// <summary>
/// What the checks of a batch found, record by record: the id it is written under, its data (a copy the batch owns), or
/// the errors that refuse it. One record's checks run once, on one thread, but different records' may run on different
/// threads at the same time (on all cores before the write, or just ahead of it: the check of
/// <see cref="IRecordStore.CommitMany"/>); what concerns several records (a repeated id) is decided in index order by
/// the writing thread.
/// </summary>
internal sealed class RecordBatchChecks
{
    private readonly IReadOnlyList<RecordBatchItem> _items;
    private readonly Action<JsonElement> _checkData;
    private readonly List<BatchError>?[] _errors;
    private readonly Dictionary<string, int> _firstWithId = new(StringComparer.Ordinal);
    private int _refused;

    /// <summary>Ids are given (or checked) here, on the caller's thread, so that the store knows every target before the write.</summary>
    public RecordBatchChecks(IReadOnlyList<RecordBatchItem> items, DateTimeOffset now, Action<JsonElement> checkData)
    {
        _items = items;
        _checkData = checkData;
        _errors = new List<BatchError>?[items.Count];
        Ids = new string[items.Count];
        Bodies = new JsonElement[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            Ids[i] = "";
            if (items[i].Unreadable is { } unreadable) Fail(i, [unreadable]);
            else
                try { Ids[i] = items[i].Id is null ? RecordIds.New(now) : RecordIds.Check(items[i].Id, $"{RecordService.EntryPath(i)}.id"); }
                catch (CommonsException e) { Fail(i, e); }
        }
    }

    public string[] Ids { get; }

    /// <summary>Each checked record's data, copied out of the request (the records written keep it).</summary>
    public JsonElement[] Bodies { get; }

    /// <summary>Some record of the batch failed a check already: the batch will write nothing.</summary>
    public bool Refused => Volatile.Read(ref _refused) != 0;

    /// <summary>
    /// Record <paramref name="index"/>'s data checked as a single create checks it (schema, size, text) and copied. Returns
    /// the copy, or null when the record or the batch is refused already (nothing need be built for it then).
    /// </summary>
    public JsonElement? Check(int index)
    {
        if (_errors[index] is not null) return null;
        try
        {
            _checkData(_items[index].Data);
            Bodies[index] = _items[index].Data.Clone();
        }
        catch (CommonsException e)
        {
            Fail(index, e);
            return null;
        }
        return Refused ? null : Bodies[index];
    }

    /// <summary>
    /// Whether record <paramref name="index"/> is refused so far: by its own checks, or (asked in index order, once it is
    /// checked) because an earlier record that passed its checks has the same id, which refuses it here.
    /// </summary>
    public bool Refuses(int index)
    {
        if (_errors[index] is not null) return true;
        if (_items[index].Id is null) return false;
        var id = Ids[index];
        if (_firstWithId.TryGetValue(id, out var first) && first != index)
        {
            Fail(index, [new BatchError(index, $"{RecordService.EntryPath(index)}.id", ProblemCodes.DuplicateId, $"the id '{id}' is also at index {first}")]);
            return true;
        }
        _firstWithId[id] = index;
        return false;
    }

    public void Fail(int index, CommonsException e) => Fail(index, ErrorsOf(index, e));

    /// <summary>Every failing record, in index order, when any failed.</summary>
    public void ThrowIfRefused()
    {
        if (Refused) throw new BatchRefusedException(_errors.Where(e => e is not null).SelectMany(e => e!).ToList());
    }

    private void Fail(int index, List<BatchError> errors)
    {
        _errors[index] = errors;
        Volatile.Write(ref _refused, 1);
    }

    private static List<BatchError> ErrorsOf(int index, CommonsException e) => e switch
    {
        ValidationException v => v.Errors.Take(RecordService.MaxErrorsPerRecord).Select(f => new BatchError(index, DataPath(index, f.Path), v.Code, f.Message)).ToList(),
        RuleViolationException r => [new BatchError(index, DataPath(index, r.Path), r.Code, r.Detail)],
        ConflictException => [new BatchError(index, $"{RecordService.EntryPath(index)}.id", e.Code, e.Detail)],
        _ => [new BatchError(index, DataPath(index, null), e.Code, e.Detail)],
    };

    /// <summary>A path inside a record's data (<c>$.title</c>, or a kind rule's bare field name) as a path in the request body.</summary>
    private static string DataPath(int index, string? path) => path switch
    {
        null or "$" => $"{RecordService.EntryPath(index)}.data",
        _ when path.StartsWith(RecordService.EntryPath(index), StringComparison.Ordinal) => path,
        _ when path.StartsWith('$') => $"{RecordService.EntryPath(index)}.data{path[1..]}",
        _ => $"{RecordService.EntryPath(index)}.data.{path}",
    };
}
