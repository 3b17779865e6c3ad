using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Modules.Place.Kinds;

namespace Commons.Modules.Place.Services;

/// <summary>A resource as the API and pages show it: its record data and when it is held, from now on.</summary>
public sealed record ResourceView(string Id, string Dataset, JsonElement Data, IReadOnlyList<BusyInterval> Busy)
{
    public LocalizedText Name => new(Text("fr"), Text("nl"), Text("en"));
    public string? Category => Data.TryGetProperty("category", out var c) ? c.GetString() : null;

    private string? Text(string language) =>
        Data.TryGetProperty("name", out var n) && n.TryGetProperty(language, out var t) ? t.GetString() : null;
}

/// <summary>A booking as the API and pages show it.</summary>
public sealed record BookingView(string Id, long Revision, Booking Booking);

/// <summary>What a member asks for: times as they entered them, with their offset.</summary>
public sealed record BookingRequest(string Resource, DateTimeOffset Start, DateTimeOffset End, string? Purpose, string? Organisation);
