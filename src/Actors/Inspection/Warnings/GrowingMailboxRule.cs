using Aggregator.Actors.Kernel.Instrumentation;

namespace Aggregator.Actors.Inspection.Warnings;

/// <summary>
/// A mailbox deeper in every one of the last <see cref="InspectionSettings.GrowingMailboxSamples"/> samples and at least
/// <see cref="InspectionSettings.GrowingMailboxMinDepth"/> deep: its actor receives faster than it processes.
/// </summary>
public sealed class GrowingMailboxRule : IWarningRule
{
    public IEnumerable<InspectionWarning> Evaluate(InspectionWindow window, InspectionSettings settings)
    {
        if (window.Recent.Count < settings.GrowingMailboxSamples) yield break;
        var samples = window.Recent.Skip(window.Recent.Count - settings.GrowingMailboxSamples).ToList();
        var depths = samples.Select(s => DepthByPath(s.Kernel.Actors)).ToList();
        foreach (var (path, last) in depths[^1].OrderByDescending(d => d.Value.MailboxDepth))
        {
            if (last.MailboxDepth < settings.GrowingMailboxMinDepth) break;
            var series = new List<long>(depths.Count);
            foreach (var sample in depths)
            {
                if (!sample.TryGetValue(path, out var actor)) break;
                series.Add(actor.MailboxDepth);
            }
            if (series.Count < depths.Count || !StrictlyRising(series)) continue;
            yield return new InspectionWarning(
                WarningKinds.GrowingMailbox,
                path,
                $"{last.ActorType} mailbox grew in {series.Count} consecutive samples: {string.Join(" → ", series)}.");
        }
    }

    private static bool StrictlyRising(List<long> series)
    {
        for (var i = 1; i < series.Count; i++)
            if (series[i] <= series[i - 1]) return false;
        return true;
    }

    private static Dictionary<string, ActorSnapshot> DepthByPath(IReadOnlyList<ActorSnapshot> actors)
    {
        var byPath = new Dictionary<string, ActorSnapshot>(StringComparer.Ordinal);
        foreach (var actor in actors) byPath[actor.Path] = actor;
        return byPath;
    }
}
