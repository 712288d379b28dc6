using System.Diagnostics;
using System.Globalization;

namespace Aggregator.Benchmarks.Entries;

/// <summary>
/// Release-to-sink times for the latency run. Entry ids are their index ("0", "1", ...), the producer stamps the
/// release into a preallocated array just before the owner's Close, and the sink stamps the arrival: two clock reads,
/// two array writes and a parse per entry, no dictionary and no allocation on the measured path.
/// </summary>
internal sealed class ReleaseLatencies(int capacity)
{
    private readonly long[] releasedAt = new long[capacity];
    private readonly long[] latency = new long[capacity];

    public int Capacity => capacity;

    public static string IdOf(int index) => index.ToString(CultureInfo.InvariantCulture);

    public void Released(int index) => releasedAt[index] = Stopwatch.GetTimestamp();

    public void Arrived(string id)
    {
        var now = Stopwatch.GetTimestamp();
        var index = int.Parse(id, NumberStyles.None, CultureInfo.InvariantCulture);
        latency[index] = now - releasedAt[index];
    }

    /// <summary>Latencies in microseconds of the entries <paramref name="counted"/> selects, sorted.</summary>
    public double[] Microseconds(Func<int, bool> counted)
    {
        var selected = new List<double>(capacity);
        for (var i = 0; i < capacity; i++)
            if (counted(i)) selected.Add(latency[i] * 1e6 / Stopwatch.Frequency);
        selected.Sort();
        return [.. selected];
    }
}
