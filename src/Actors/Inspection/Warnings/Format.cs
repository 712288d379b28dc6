using System.Globalization;

namespace Aggregator.Actors.Inspection.Warnings;

/// <summary>Durations in warning sentences: seconds with one decimal, culture-invariant, so messages read the same everywhere.</summary>
internal static class Format
{
    public static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
