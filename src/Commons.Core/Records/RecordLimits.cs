namespace Commons.Core.Records;

/// <summary>Size limits for records and listings; the host binds them from configuration (<c>Commons:Limits</c>).</summary>
public sealed class RecordLimits
{
    /// <summary>Largest record body, in UTF-8 bytes of its JSON.</summary>
    public int MaxRecordBytes { get; set; } = 256 * 1024;
    /// <summary>Deepest nesting of a record body or any JSON request.</summary>
    public int MaxJsonDepth { get; set; } = 32;
    /// <summary>Most records in one batch create.</summary>
    public int MaxBatchRecords { get; set; } = 1_000;
    /// <summary>Largest body of a batch create, in bytes (the node's usual body limit is for one record).</summary>
    public long MaxBatchBytes { get; set; } = 8 * 1024 * 1024;
    public int DefaultPageSize { get; set; } = 50;
    public int MaxPageSize { get; set; } = 500;
    /// <summary>How long a schema's regular expression may run on one value before the record is refused (1 to 10,000 ms).</summary>
    public int PatternTimeoutMilliseconds { get; set; } = (int)Schemas.SchemaLimits.PatternTimeout.TotalMilliseconds;
}
