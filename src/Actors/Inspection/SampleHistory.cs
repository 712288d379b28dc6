namespace Aggregator.Actors.Inspection;

/// <summary>
/// The sampler's recent samples, so a reader gets rates over the last <see cref="InspectionSettings.Window"/> instead of
/// since start. Keeps just enough: every sample inside the window, one older sample to reach back the full window,
/// and at least <see cref="InspectionSettings.GrowingMailboxSamples"/> for trends. Thread-safe.
/// </summary>
public sealed class SampleHistory(InspectionSettings settings)
{
    private readonly LinkedList<InspectionSample> samples = new();

    public int Count
    {
        get
        {
            lock (samples) return samples.Count;
        }
    }

    /// <summary>Records a sample taken by the sampler and forgets what no window needs any more.</summary>
    public void Add(InspectionSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        lock (samples)
        {
            samples.AddLast(sample.WithoutActorHistograms());
            // The oldest can go once the next one alone reaches back a whole window and enough samples remain for trends.
            while (samples.Count > settings.GrowingMailboxSamples
                   && sample.Uptime - samples.First!.Next!.Value.Uptime >= settings.Window)
            {
                samples.RemoveFirst();
            }
        }
    }

    /// <summary>
    /// The window ending at <paramref name="current"/> (a sample taken now): it starts at the newest recorded sample
    /// at least a window old, or the oldest one there is. Trends use the recorded samples only, evenly spaced by the
    /// sampler, so a reader asking often cannot make a mailbox look like it grows.
    /// </summary>
    public InspectionWindow WindowEndingWith(InspectionSample current)
    {
        ArgumentNullException.ThrowIfNull(current);
        List<InspectionSample> recorded;
        lock (samples) recorded = samples.Where(s => s.Uptime <= current.Uptime).ToList();
        if (recorded.Count == 0) return new InspectionWindow(current, current, [current]);
        var earlier = recorded.LastOrDefault(s => current.Uptime - s.Uptime >= settings.Window) ?? recorded[0];
        var recent = recorded.Skip(Math.Max(0, recorded.Count - settings.GrowingMailboxSamples)).ToList();
        return new InspectionWindow(earlier, current, recent);
    }
}
