namespace Commons.Node.Web.Components.Forms;

/// <summary>
/// The messages of one form, in the order they were found, each under the id of the input it belongs to ("" for the
/// form as a whole). The summary links each message to its input; the input names its message with aria-describedby.
/// </summary>
public sealed class FormErrors
{
    private readonly List<(string Input, string Message)> _all = [];

    public bool Any => _all.Count > 0;
    public IEnumerable<(string Input, string Message)> All => _all;

    /// <summary>Adds a message under an input; the same message twice is said once.</summary>
    public void Add(string input, string message)
    {
        if (!_all.Contains((input, message))) _all.Add((input, message));
    }

    public bool Has(string input) => _all.Any(e => e.Input == input);
    public IEnumerable<string> For(string input) => _all.Where(e => e.Input == input).Select(e => e.Message);

    /// <summary>The id of the message paragraph next to an input.</summary>
    public static string MessageId(string input) => input + "-error";

    /// <summary>aria-describedby for an input: the ids of its inputs' messages, or null when none failed.</summary>
    public string? DescribedBy(params string[] inputs)
    {
        var ids = inputs.Where(Has).Select(MessageId).ToList();
        return ids.Count == 0 ? null : string.Join(' ', ids);
    }

    /// <summary>aria-describedby for an input with a hint: the hint, then the input's message when it has one.</summary>
    public string HintAndMessage(string hintId, string input) => Has(input) ? $"{hintId} {MessageId(input)}" : hintId;

    /// <summary>aria-invalid for an input: "true" when one of its inputs failed.</summary>
    public string Invalid(params string[] inputs) => inputs.Any(Has) ? "true" : "false";
}
