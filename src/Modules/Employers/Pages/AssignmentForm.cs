namespace Commons.Modules.Employers.Pages;

/// <summary>An assignment as the form posts it (worker, member, planned share in %), or the remove button's value <c>{worker}|{member}</c>.</summary>
public sealed class AssignmentForm
{
    public string? Worker { get; set; }
    public string? Member { get; set; }
    public string? PlannedShare { get; set; }
    public string? Remove { get; set; }

    public (string Worker, string Member, decimal Share)? Read(Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(Worker)) errors[nameof(Worker)] = "ChooseWorker";
        if (string.IsNullOrWhiteSpace(Member)) errors[nameof(Member)] = "ChooseMember";
        var share = Decimals.Read(PlannedShare);
        if (share is not { } s || s <= 0 || s > 100 || Decimals.Places(s) > 2) errors[nameof(PlannedShare)] = "ShareInvalid";
        return errors.Count > 0 ? null : (Worker!.Trim(), Member!.Trim(), share!.Value);
    }

    public (string Worker, string Member)? Removed()
    {
        var bar = Remove?.IndexOf('|') ?? -1;
        return bar > 0 && bar < Remove!.Length - 1 ? (Remove[..bar], Remove[(bar + 1)..]) : null;
    }

    /// <summary>The form field a rule names.</summary>
    public static string FieldOf(string? path) => path switch
    {
        "worker" => nameof(Worker),
        "member" => nameof(Member),
        _ => nameof(PlannedShare),
    };
}
