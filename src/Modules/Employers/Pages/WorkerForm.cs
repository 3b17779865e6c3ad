using System.Text.Json;

namespace Commons.Modules.Employers.Pages;

/// <summary>
/// A worker as the form posts it. Read here into the record the workers' schema wants (the cost as a decimal string with
/// two decimals), with each unreadable field named and a message key, so the page explains it beside the field.
/// </summary>
public sealed class WorkerForm
{
    public string? Name { get; set; }
    public string? Role { get; set; }
    public string? HoursPerWeek { get; set; }
    public string? MonthlyCost { get; set; }
    public string? StartDate { get; set; }
    public string? EndDate { get; set; }

    public static WorkerForm From(JsonElement data) => new()
    {
        Name = Text(data, "name"), Role = Text(data, "role"),
        HoursPerWeek = data.TryGetProperty("contractHoursPerWeek", out var h) ? Decimals.Invariant(h.GetDecimal()) : null,
        MonthlyCost = Text(data, "monthlyCost"), StartDate = Text(data, "startDate"), EndDate = Text(data, "endDate"),
    };

    /// <summary>The record's data, or null with the fields that could not be read (field → resource key of the message).</summary>
    public JsonElement? Read(Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(Name)) errors[nameof(Name)] = "NameNeeded";
        if (string.IsNullOrWhiteSpace(Role)) errors[nameof(Role)] = "RoleNeeded";
        var hours = Decimals.Read(HoursPerWeek);
        if (hours is not { } h || h <= 0 || h > 50 || h * 2 != decimal.Truncate(h * 2)) errors[nameof(HoursPerWeek)] = "HoursPerWeekInvalid";
        var cost = Decimals.Read(MonthlyCost);
        if (cost is not { } c || Decimals.Places(c) > 2 || c >= 1_000_000_000m) errors[nameof(MonthlyCost)] = "MonthlyCostInvalid";
        var start = Day(StartDate, nameof(StartDate), errors);
        var end = Day(EndDate, nameof(EndDate), errors);
        if (errors.Count > 0) return null;
        var data = new Dictionary<string, object>
        {
            ["name"] = Name!.Trim(), ["role"] = Role!.Trim(), ["contractHoursPerWeek"] = hours!.Value,
            ["monthlyCost"] = Decimals.Invariant(cost!.Value, "0.00"),
        };
        if (start is not null) data["startDate"] = start;
        if (end is not null) data["endDate"] = end;
        return JsonSerializer.SerializeToElement(data);
    }

    /// <summary>The form field a rule or schema path names ("/monthlyCost", "$.name").</summary>
    public static string FieldOf(string? path) => path?.TrimStart('$', '.', '/') switch
    {
        "name" => nameof(Name),
        "role" => nameof(Role),
        "contractHoursPerWeek" => nameof(HoursPerWeek),
        "monthlyCost" => nameof(MonthlyCost),
        "startDate" => nameof(StartDate),
        "endDate" => nameof(EndDate),
        _ => "",
    };

    /// <summary>A day as the date field posts it (YYYY-MM-DD); empty is none. Whether the end follows the start is the rule's to say.</summary>
    private static string? Day(string? text, string field, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
            return day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        errors[field] = "DateInvalid";
        return null;
    }

    private static string? Text(JsonElement data, string field) =>
        data.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
