using System.Globalization;
using System.Resources;

namespace Commons.Modules.Place.Resources;

/// <summary>
/// Marker for the strings of the calendar feeds and their page: CalendarText.resx (en), .fr.resx, .nl.resx beside it.
/// A feed is read by a program, not in a page's culture: <see cref="In"/> reads a string in the feed's language.
/// </summary>
public sealed class CalendarText
{
    private static readonly ResourceManager Strings = new(typeof(CalendarText).FullName!, typeof(CalendarText).Assembly);

    public static string In(string language, string key) =>
        Strings.GetString(key, CultureInfo.GetCultureInfo(language)) ?? throw new InvalidOperationException($"no string CalendarText.{key}");
}
