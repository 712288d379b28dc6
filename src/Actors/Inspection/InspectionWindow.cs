using Aggregator.Actors.Kernel.Instrumentation;

namespace Aggregator.Actors.Inspection;

/// <summary>
/// A recent stretch of time seen through samples: <see cref="Earlier"/> and <see cref="Latest"/> bound the window that
/// rates and utilization are computed over; <see cref="Recent"/> are the latest consecutive samples, oldest first,
/// for trends such as a growing mailbox.
/// </summary>
public sealed class InspectionWindow
{
    private readonly Dictionary<string, ActorSnapshot> earlierByPath;

    public InspectionWindow(InspectionSample earlier, InspectionSample latest, IReadOnlyList<InspectionSample> recent)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(latest);
        ArgumentNullException.ThrowIfNull(recent);
        Earlier = earlier;
        Latest = latest;
        Recent = recent;
        earlierByPath = ByPath(earlier.Kernel.Actors);
    }

    public InspectionSample Earlier { get; }
    public InspectionSample Latest { get; }
    public IReadOnlyList<InspectionSample> Recent { get; }

    /// <summary>Time between the two ends; zero when both are the same sample.</summary>
    public TimeSpan Elapsed => Latest.Uptime > Earlier.Uptime ? Latest.Uptime - Earlier.Uptime : TimeSpan.Zero;

    /// <summary>A window of one sample: no time has passed, so every rate is zero.</summary>
    public static InspectionWindow Of(InspectionSample sample) => new(sample, sample, [sample]);

    /// <summary>
    /// One live actor's rates over the window. An actor started inside the window is measured from zero over the
    /// whole window (it cannot have been busy before it existed, so this never overstates). The rates carry no
    /// histograms: the history keeps none per actor (see <see cref="InspectionSample.WithoutActorHistograms"/>);
    /// latency histograms are per actor type.
    /// </summary>
    public ActorRates RatesOf(ActorSnapshot actor)
    {
        if (Elapsed <= TimeSpan.Zero) return new ActorRates(actor.Path, actor.ActorType, 0, 0, HistogramSnapshot.Empty, HistogramSnapshot.Empty);
        var earlier = earlierByPath.GetValueOrDefault(actor.Path) ?? Unstarted(actor);
        return actor.RatesSince(earlier, Elapsed) with { MailboxWait = HistogramSnapshot.Empty, Processing = HistogramSnapshot.Empty };
    }

    /// <summary>Busy time an actor spent inside the window.</summary>
    public TimeSpan BusyInWindow(ActorSnapshot actor)
    {
        var before = earlierByPath.GetValueOrDefault(actor.Path)?.BusyTime ?? TimeSpan.Zero;
        return actor.BusyTime > before ? actor.BusyTime - before : TimeSpan.Zero;
    }

    private static ActorSnapshot Unstarted(ActorSnapshot actor) => actor with
    {
        MessagesProcessed = 0,
        BusyTime = TimeSpan.Zero,
        MailboxWait = HistogramSnapshot.Empty,
        Processing = HistogramSnapshot.Empty,
    };

    private static Dictionary<string, ActorSnapshot> ByPath(IReadOnlyList<ActorSnapshot> actors)
    {
        var byPath = new Dictionary<string, ActorSnapshot>(actors.Count, StringComparer.Ordinal);
        foreach (var actor in actors) byPath[actor.Path] = actor;
        return byPath;
    }
}
