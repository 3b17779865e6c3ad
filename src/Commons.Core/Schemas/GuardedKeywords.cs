using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Pointer;
using Json.Schema;
using Json.Schema.Keywords;

namespace Commons.Core.Schemas;

/// <summary>
/// The 2020-12 dialect records are validated with: JsonSchema.Net's own, except that regular expressions run with a
/// time limit and every <c>$ref</c> followed counts against a budget. A schema stored before the save-time checks
/// existed can then fail a record with a clear error, where it used to hang a request or overflow the stack.
/// </summary>
internal static class GuardedDialect
{
    /// <summary>The keywords read <see cref="SchemaLimits.PatternTimeout"/> each time a schema is built.</summary>
    public static Dialect Instance => Holder.Value;
    private static readonly Lazy<Dialect> Holder = new(() => Dialect.Draft202012.With(
        [new TimedPatternKeyword(), new TimedPatternPropertiesKeyword(), new GuardedRefKeyword(), new GuardedDynamicRefKeyword()]));

    /// <summary>The library's formats, with <c>email</c> checked without a timeout (<see cref="EmailFormat"/>).</summary>
    public static FormatRegistry Formats => FormatsHolder.Value;
    private static readonly Lazy<FormatRegistry> FormatsHolder = new(() =>
    {
        var registry = new FormatRegistry();
        registry.Register(EmailFormat.Email);
        registry.Register(EmailFormat.IdnEmail);
        return registry;
    });
}

/// <summary>A schema asked more of validation than the node gives one record.</summary>
internal sealed class SchemaEvaluationException(string message, JsonPointer instanceLocation) : Exception(message)
{
    public JsonPointer InstanceLocation { get; } = instanceLocation;
}

/// <summary>The $refs followed by the validation running on this thread (validation is synchronous).</summary>
internal static class RefBudget
{
    [ThreadStatic] private static int _depth;
    [ThreadStatic] private static int _steps;

    public static void Reset() => (_depth, _steps) = (0, 0);

    public static void Enter(KeywordData keyword, EvaluationContext context)
    {
        var reference = keyword.RawValue.ValueKind == JsonValueKind.String ? keyword.RawValue.GetString() : "?";
        // TryEnsureSufficientExecutionStack: a thread with a small stack stops before it overflows, whatever the depth limit.
        if (++_depth > SchemaLimits.MaxRefDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new SchemaEvaluationException(
                $"the dataset's schema follows its reference '{reference}' into itself without end; a steward must change the schema", context.InstanceLocation);
        if (++_steps > SchemaLimits.MaxRefSteps)
            throw new SchemaEvaluationException(
                $"the dataset's schema follows more than {SchemaLimits.MaxRefSteps} references for one record; a steward must simplify the schema", context.InstanceLocation);
    }

    public static void Leave() => _depth--;
}

internal sealed class GuardedRefKeyword : RefKeyword
{
    public override KeywordEvaluation Evaluate(KeywordData keyword, EvaluationContext context)
    {
        RefBudget.Enter(keyword, context);
        try { return base.Evaluate(keyword, context); }
        finally { RefBudget.Leave(); }
    }
}

internal sealed class GuardedDynamicRefKeyword : DynamicRefKeyword
{
    public override KeywordEvaluation Evaluate(KeywordData keyword, EvaluationContext context)
    {
        RefBudget.Enter(keyword, context);
        try { return base.Evaluate(keyword, context); }
        finally { RefBudget.Leave(); }
    }
}

internal static class TimedRegex
{
    /// <summary>The library's regular expression, same pattern and options, with the node's time limit.</summary>
    public static Regex Limit(Regex regex) => new(regex.ToString(), regex.Options, SchemaLimits.PatternTimeout);

    /// <param name="where">The pattern's place in the schema, as evaluation reached it.</param>
    public static SchemaEvaluationException TimedOut(RegexMatchTimeoutException e, EvaluationContext context, JsonPointer where, string what) => new(
        $"{what} took longer than {SchemaLimits.PatternTimeout.TotalMilliseconds:0} ms to match the schema's pattern '{e.Pattern}' "
        + $"(at {RecordSchema.ToPath(where, "schema")}); shorten the value or ask a steward to simplify the pattern",
        context.InstanceLocation);
}

internal sealed class TimedPatternKeyword : PatternKeyword
{
    public override object? ValidateKeywordValue(JsonElement value) => TimedRegex.Limit((Regex)base.ValidateKeywordValue(value)!);

    public override KeywordEvaluation Evaluate(KeywordData keyword, EvaluationContext context)
    {
        try { return base.Evaluate(keyword, context); }
        catch (RegexMatchTimeoutException e) { throw TimedRegex.TimedOut(e, context, context.EvaluationPath.Combine(Name), "this value"); }
    }
}

internal sealed class TimedPatternPropertiesKeyword : PatternPropertiesKeyword
{
    public override object? ValidateKeywordValue(JsonElement value) =>
        ((Dictionary<string, Regex>)base.ValidateKeywordValue(value)!).ToDictionary(p => p.Key, p => TimedRegex.Limit(p.Value), StringComparer.Ordinal);

    public override KeywordEvaluation Evaluate(KeywordData keyword, EvaluationContext context)
    {
        try { return base.Evaluate(keyword, context); }
        catch (RegexMatchTimeoutException e) { throw TimedRegex.TimedOut(e, context, context.EvaluationPath.Combine(Name, e.Pattern), "a property name here"); }
    }
}
