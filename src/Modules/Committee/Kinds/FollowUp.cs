using System.Text.Json;
using System.Text.Json.Nodes;

namespace Commons.Modules.Committee.Kinds;

/// <summary>A due date of a decision's follow-up (yyyy-MM-dd) and what is due then.</summary>
public sealed record DueDate(string Date, string? What);

/// <summary>
/// How an adopted decision's follow-up moves: <c>planned</c> → <c>in_progress</c> → <c>done</c>, or <c>dropped</c>
/// from either; <c>in_progress</c> may go back to <c>planned</c>. <c>done</c> and <c>dropped</c> are final, so a
/// finished decision is not silently reopened. Keeping the same status (only the due dates change) is allowed. The
/// same rules hold for a steward of the decisions dataset and for the owner organisation's request.
/// </summary>
public static class FollowUp
{
    public const string Planned = "planned", InProgress = "in_progress", Done = "done", Dropped = "dropped";
    public const string Adopted = "adopted";
    public const int MaxDue = 20, MaxWhat = 400;
    public static readonly IReadOnlyList<string> Statuses = [Planned, InProgress, Done, Dropped];

    public static bool IsStatus(string status) => Statuses.Contains(status);

    public static bool Allows(string from, string to) => from == to || (from, to) switch
    {
        (Planned, InProgress or Done or Dropped) => true,
        (InProgress, Planned or Done or Dropped) => true,
        _ => false,
    };

    public static bool IsDate(string date) =>
        date.Length == 10 && DateOnly.TryParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _);

    /// <summary>The decision's current status (planned when a record has none).</summary>
    public static string StatusOf(JsonElement decision) =>
        decision.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : Planned;

    public static string? OwnerOf(JsonElement decision) =>
        decision.TryGetProperty("owner", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;

    public static bool IsAdopted(JsonElement decision) =>
        decision.TryGetProperty("outcome", out var o) && o.ValueKind == JsonValueKind.String && o.GetString() == Adopted;

    public static JsonArray DueJson(IEnumerable<DueDate> due) => new(due.Select(d =>
    {
        var item = new JsonObject { ["date"] = d.Date };
        if (d.What is not null) item["what"] = d.What;
        return (JsonNode)item;
    }).ToArray());

    /// <summary>The request's data <c>{decision, status?, due?: [{date, what?}]}</c>; false when malformed (the reason in <paramref name="error"/>).</summary>
    public static bool TryRead(JsonElement body, out string decision, out string? status, out IReadOnlyList<DueDate>? due, out string error)
    {
        decision = "";
        status = null;
        due = null;
        error = "a follow-up is {decision, status?, due?: [{date, what?}]}";
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("decision", out var d) || d.ValueKind != JsonValueKind.String) return false;
        decision = d.GetString()!;
        if (decision.Length is 0 or > 200) return false;
        if (body.TryGetProperty("status", out var s))
        {
            if (s.ValueKind != JsonValueKind.String || !IsStatus(s.GetString()!))
            {
                error = $"status is one of {string.Join(", ", Statuses)}";
                return false;
            }
            status = s.GetString();
        }
        if (body.TryGetProperty("due", out var list))
        {
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() > MaxDue) return false;
            var read = new List<DueDate>();
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("date", out var date) || date.ValueKind != JsonValueKind.String || !IsDate(date.GetString()!))
                {
                    error = "each due date is {date: yyyy-MM-dd, what?}";
                    return false;
                }
                string? what = null;
                if (item.TryGetProperty("what", out var w))
                {
                    if (w.ValueKind != JsonValueKind.String || w.GetString()!.Length > MaxWhat) return false;
                    what = w.GetString();
                }
                read.Add(new DueDate(date.GetString()!, what));
            }
            due = read;
        }
        if (status is null && due is null)
        {
            error = "a follow-up changes the status, the due dates or both";
            return false;
        }
        return true;
    }

    public static JsonElement RequestJson(string decision, string? status, IReadOnlyList<DueDate>? due)
    {
        var body = new JsonObject { ["decision"] = decision };
        if (status is not null) body["status"] = status;
        if (due is not null) body["due"] = DueJson(due);
        return JsonSerializer.SerializeToElement<JsonNode>(body);
    }
}
