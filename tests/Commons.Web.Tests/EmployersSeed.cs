using System.Globalization;
using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Services;
using Commons.Modules.Employers.Pages;
using Commons.Modules.Employers.Services;
using Commons.Platform;

namespace Commons.Web.Tests;

/// <summary>
/// The employers' group switched on, coordinated by this node: two member organisations (one more than the size limit,
/// so the warning shows), a worker placed with both, hours from one member this month, and last month closed with its
/// statements. Every page of /employers has something to show.
/// </summary>
public static class EmployersSeed
{
    public const string Group = "Groupement Emploi Solidaire";
    public const string Worker = "anna";
    public const string WorkerName = "Anna Peeters";
    public const string Parc = "https://amisduparc.example/actor";
    public const string Velo = "https://velo.example/actor";

    /// <summary>The group on <paramref name="node"/>; returns this month and last month (closed), as YYYY-MM.</summary>
    public static (string Open, string Closed) Open(UiNode node)
    {
        node.Service<ModuleAdministration>().Set(UiNode.Admin, "employers", true);
        var datasets = node.Service<DatasetService>();
        var records = node.Service<RecordService>();
        string Dataset(string prefix, string kind, LocalizedText title)
        {
            var slug = node.Unique(prefix);
            datasets.Create(UiNode.Admin, new DatasetDraft { Slug = slug, Title = title, Kind = kind });
            return slug;
        }
        var group = Dataset("groupement-", "employers.group", new("Le groupement", "De groepering", "The group"));
        var workers = Dataset("travailleurs-", "employers.workers", new("Travailleurs", "Werknemers", "Workers"));
        var assignments = Dataset("mises-", "employers.assignments", new("Mises à disposition", "Terbeschikkingstellingen", "Assignments"));
        var hours = Dataset("heures-", "employers.hours", new("Heures", "Uren", "Hours"));
        records.Create(UiNode.Admin, group, "settings", Doc($$"""
            {"name":"{{Group}}","recognition":"GE-2026-014","sizeLimit":1,"allocationRule":"pro_rata_hours","fallbackRule":"planned_share",
             "members":[{"actor":"{{Parc}}","name":"Les Amis du Parc"},{"actor":"{{Velo}}","name":"Atelier vélo du canal"}]}
            """));
        records.Create(UiNode.Admin, workers, Worker, Doc($$"""{"name":"{{WorkerName}}","role":"Animatrice","contractHoursPerWeek":38,"monthlyCost":"3250.40"}"""));
        records.Create(UiNode.Admin, assignments, null, Doc($$"""{"worker":"{{Worker}}","member":"{{Parc}}","plannedShare":60}"""));
        records.Create(UiNode.Admin, assignments, null, Doc($$"""{"worker":"{{Worker}}","member":"{{Velo}}","plannedShare":40}"""));

        var desk = node.Service<GroupDesk>();
        var closed = desk.PreviousMonth();
        var open = DateOnly.ParseExact(closed + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture).AddMonths(1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        records.Create(UiNode.Admin, hours, null, Doc($$"""{"worker":"{{Worker}}","member":"{{Parc}}","month":"{{open}}","hours":"72.5"}"""));
        node.Service<EmployersService>().CloseMonth(UiNode.Admin, closed);
        return (open, closed);
    }

    /// <summary>A group this node is a member of, on a node that cannot be reached: its pages say so (502) and show what they can.</summary>
    public static string Membership(UiNode node)
    {
        var s = node.AddSubscription(Group, SubscriptionState.Accepted, "groupement.invalid") with { Kind = "employers.group" };
        node.Service<ISubscriptionStore>().Upsert(s);
        return s.Id;
    }

    /// <summary>"2026-03" as the month pages show it in <paramref name="culture"/>.</summary>
    public static string MonthIn(string month, CultureInfo culture) =>
        DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("MMMM yyyy", culture);

    private static JsonElement Doc(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
