namespace Commons.Modules.Employers.Pages;

/// <summary>A month's hours as the member's form posts them: one line per shared worker; a line left empty is not sent.</summary>
public sealed class HoursForm
{
    public List<HoursLine> Entries { get; set; } = [];

    /// <summary>The lines to send as (worker, hours as the group wants them: "72.5"), and the lines that could not be read (worker → message key).</summary>
    public (List<(string Worker, string Hours)> Lines, Dictionary<string, string> Errors) Read()
    {
        var lines = new List<(string, string)>();
        var errors = new Dictionary<string, string>();
        foreach (var entry in Entries.Where(e => !string.IsNullOrWhiteSpace(e.Worker) && !string.IsNullOrWhiteSpace(e.Hours)))
        {
            var hours = Decimals.Read(entry.Hours);
            if (hours is not { } h || h < 0 || h >= 1000 || Decimals.Places(h) > 2) errors[entry.Worker!] = "HoursInvalid";
            else lines.Add((entry.Worker!, Decimals.Invariant(h)));
        }
        if (lines.Count == 0 && errors.Count == 0) errors[""] = "HoursNone";
        return (lines, errors);
    }
}

public sealed class HoursLine
{
    public string? Worker { get; set; }
    public string? Hours { get; set; }
}
