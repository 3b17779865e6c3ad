using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Exchanges;
using Commons.Platform;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Place.Services;

/// <summary>
/// The place's lines on the dashboard: the bookings waiting for this steward's approval (one line, since the oldest
/// waits), and the answers other places gave this member's booking requests in the last seven days. Local reads only.
/// </summary>
public static class PlaceNews
{
    public static readonly TimeSpan AnswersShown = TimeSpan.FromDays(7);
    private const int Most = 10;

    public static IReadOnlyList<DashboardItem> For(IServiceProvider services, Caller caller)
    {
        var items = new List<DashboardItem>();
        var pending = services.GetRequiredService<ApprovalService>().Pending(caller);
        if (pending.Count > 0)
            items.Add(new DashboardItem(new LocalizedText(
                    $"{pending.Count} réservation(s) attend(ent) votre accord",
                    $"{pending.Count} reservering(en) wacht(en) op uw goedkeuring",
                    $"{pending.Count} booking(s) waiting for your approval"),
                "/place/approvals", pending.Max(p => p.Since)));

        var clock = services.GetRequiredService<TimeProvider>();
        foreach (var answer in services.GetRequiredService<RemotePlaces>().AnsweredSince(caller, clock.GetUtcNow() - AnswersShown))
        {
            var resource = answer.Body.TryGetProperty("resource", out var r) && r.ValueKind == System.Text.Json.JsonValueKind.String ? r.GetString() : "?";
            items.Add(new DashboardItem(answer.State == ExchangeState.Accepted
                    ? new LocalizedText($"Réservation acceptée ailleurs : {resource}", $"Reservering elders aanvaard: {resource}", $"Booking elsewhere accepted: {resource}")
                    : new LocalizedText($"Réservation refusée ailleurs : {resource}", $"Reservering elders geweigerd: {resource}", $"Booking elsewhere refused: {resource}"),
                "/place/elsewhere/bookings", answer.AnsweredAt ?? answer.CreatedAt));
        }
        return items.OrderByDescending(i => i.At).Take(Most).ToList();
    }
}
