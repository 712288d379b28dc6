namespace Aggregator.Actors.Inspection.Warnings;

/// <summary>An actor busy at least <see cref="InspectionSettings.HotUtilization"/> of the window: one core's worth of work funnels through it.</summary>
public sealed class HotActorRule : IWarningRule
{
    public IEnumerable<InspectionWarning> Evaluate(InspectionWindow window, InspectionSettings settings)
    {
        if (window.Elapsed <= TimeSpan.Zero) return [];
        return window.Latest.Kernel.Actors
            .Select(a => (Actor: a, Rates: window.RatesOf(a)))
            .Where(x => x.Rates.Utilization >= settings.HotUtilization)
            .OrderByDescending(x => x.Rates.Utilization)
            .Select(x => new InspectionWarning(
                WarningKinds.HotActor,
                x.Actor.Path,
                $"{x.Actor.ActorType} was busy {x.Rates.Utilization:P0} of the last {Format.Seconds(window.Elapsed)} ({x.Rates.MessagesPerSecond:F0} msg/s, {x.Actor.MailboxDepth} waiting)."));
    }
}
