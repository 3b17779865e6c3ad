using System.Text.Json;
using Commons.Core.Errors;

namespace Commons.Core.Records;

/// <summary>
/// One record of a batch create, as the caller sent it. <see cref="Unreadable"/> is set instead when the entry itself
/// could not be read (not an object, no data, an unknown field): the batch then fails with that error at its index.
/// </summary>
public sealed record RecordBatchItem(string? Id, JsonElement Data, bool Shared = true)
{
    public BatchError? Unreadable { get; init; }
}

/// <summary>
/// One failing record of a refused batch: its index in the request, the JSON path in the request body
/// (<c>$.records[3].data.title</c>, <c>$.records[3].id</c>, <c>$.records[3]</c> for the entry as a whole), the problem code
/// a single create would have answered, and what is wrong.
/// </summary>
public sealed record BatchError(int Index, string Path, string Code, string Detail);

/// <summary>What a batch did to one record: created now, or already stored exactly so (a retried batch with ids).</summary>
public sealed record BatchWritten(Record Record, bool Created);

/// <summary>The records of a committed batch, in request order; <see cref="Created"/> of them got a change.</summary>
public sealed record RecordBatchResult(IReadOnlyList<BatchWritten> Records)
{
    public int Created => Records.Count(r => r.Created);
}

/// <summary>A batch with records that cannot be written: every failing record is listed, and nothing was stored.</summary>
public sealed class BatchRefusedException(IReadOnlyList<BatchError> errors) : CommonsException(ProblemCodes.BatchRefused, "Batch refused",
    $"{errors.Select(e => e.Index).Distinct().Count()} record(s) of the batch cannot be written (the first at index {errors[0].Index}, {errors[0].Path}: {errors[0].Detail} [{errors[0].Code}]); nothing was stored")
{
    public IReadOnlyList<BatchError> Errors { get; } = errors;
}

/// <summary>More records in one batch than <see cref="RecordLimits.MaxBatchRecords"/>; nothing was read further.</summary>
public sealed class BatchTooLargeException(string detail) : CommonsException(ProblemCodes.BatchTooLarge, "Batch too large", detail);
