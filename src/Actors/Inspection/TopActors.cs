using Aggregator.Actors.Kernel.Instrumentation;

namespace Aggregator.Actors.Inspection;

/// <summary>The actors worth looking at first: most busy time in the window, deepest mailboxes now.</summary>
public static class TopActors
{
    public static IReadOnlyList<ActorView> ByBusyTime(InspectionWindow window, int count) =>
        window.Latest.Kernel.Actors
            .Select(a => (Actor: a, Busy: window.BusyInWindow(a)))
            .Where(x => x.Busy > TimeSpan.Zero)
            .OrderByDescending(x => x.Busy)
            .ThenBy(x => x.Actor.Path, StringComparer.Ordinal)
            .Take(count)
            .Select(x => View(window, x.Actor))
            .ToList();

    public static IReadOnlyList<ActorView> ByMailboxDepth(InspectionWindow window, int count) =>
        window.Latest.Kernel.Actors
            .Where(a => a.MailboxDepth > 0)
            .OrderByDescending(a => a.MailboxDepth)
            .ThenBy(a => a.Path, StringComparer.Ordinal)
            .Take(count)
            .Select(a => View(window, a))
            .ToList();

    private static ActorView View(InspectionWindow window, ActorSnapshot actor)
    {
        var rates = window.RatesOf(actor);
        return new ActorView(
            actor.Path,
            actor.ActorType,
            window.BusyInWindow(actor).TotalSeconds,
            rates.Utilization,
            rates.MessagesPerSecond,
            actor.MailboxDepth,
            actor.PeakMailboxDepth,
            actor.InProgressFor?.TotalSeconds);
    }
}
