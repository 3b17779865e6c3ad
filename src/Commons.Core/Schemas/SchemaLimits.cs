namespace Commons.Core.Schemas;

/// <summary>
/// Bounds on what a dataset schema may ask of the node. The shape bounds are checked when a schema is saved; the
/// evaluation bounds hold while records are validated, so that a schema stored before a bound existed still cannot
/// stop the process.
/// </summary>
public static class SchemaLimits
{
    /// <summary>
    /// How long one <c>pattern</c> or <c>patternProperties</c> regular expression may run on one value. Process-wide:
    /// the host sets it once at start-up, before any schema is compiled (compiled schemas keep the value they were built with).
    /// </summary>
    public static TimeSpan PatternTimeout { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Subschemas in one schema, <c>$defs</c> included.</summary>
    public const int MaxSubschemas = 2_000;
    /// <summary>Subschemas reached from the root once every <c>$ref</c> is followed (what one record's validation may walk).</summary>
    public const long MaxExpandedSubschemas = 20_000;
    public const int MaxPatterns = 200;
    public const int MaxPatternLength = 1_000;

    /// <summary><c>$ref</c>s followed inside one another while one record is validated.</summary>
    public const int MaxRefDepth = 128;
    /// <summary>
    /// <c>$ref</c>s followed in all while one record is validated. It stops a schema stored before the size checks
    /// whose references multiply at every level: in such a schema JsonSchema.Net followed only about 10,000 a second
    /// on the 2-core test machine, so this is about two seconds, against days without it. An array of a thousand items
    /// that each follow ten references stays within it.
    /// </summary>
    public const int MaxRefSteps = 20_000;
}
