namespace Commons.Node.Web.Datasets;

/// <summary>Messages for a form, each under the id of the input it belongs to ("" for the form as a whole).</summary>
public sealed class FormErrors
{
    private readonly List<(string Input, string Message)> _all = [];

    public bool Any => _all.Count > 0;
    public IEnumerable<(string Input, string Message)> All => _all;

    public void Add(string input, string message)
    {
        if (!_all.Contains((input, message))) _all.Add((input, message));
    }

    public bool Has(string input) => _all.Any(e => e.Input == input);
    public IEnumerable<string> For(string input) => _all.Where(e => e.Input == input).Select(e => e.Message);

    /// <summary>The id of the message element next to an input.</summary>
    public static string MessageId(string input) => input + "-error";

    /// <summary>aria-describedby for an input: its message's id when it has one.</summary>
    public string? DescribedBy(params string[] inputs)
    {
        var ids = inputs.Where(Has).Select(MessageId).ToList();
        return ids.Count == 0 ? null : string.Join(' ', ids);
    }

    public string Invalid(params string[] inputs) => inputs.Any(Has) ? "true" : "false";
}
