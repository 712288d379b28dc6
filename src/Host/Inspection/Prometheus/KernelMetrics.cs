using Aggregator.Actors.Inspection;
using Aggregator.Actors.Kernel.Instrumentation;

namespace Aggregator.Host.Inspection.Prometheus;

/// <summary>The actor kernel per actor type: work done, load over the window, backlog, latency histograms, failures.</summary>
public static class KernelMetrics
{
    public static void Write(ExpositionWriter writer, InspectionWindow window)
    {
        var kernel = window.Latest.Kernel;
        var types = MergeByName(kernel.Types);

        writer.Declare("aggregator_actor_messages_total", MetricType.Counter, "Messages processed by actors of this type, stopped actors included.");
        foreach (var t in types) writer.Sample(t.MessagesProcessed, Type(t));

        writer.Declare("aggregator_actor_busy_seconds_total", MetricType.Counter, "Time actors of this type spent processing messages.");
        foreach (var t in types) writer.Sample(t.BusyTime.TotalSeconds, Type(t));

        writer.Declare("aggregator_actor_utilization", MetricType.Gauge,
            "Busy seconds per second of actors of this type over the inspection window (1 = one core fully busy).");
        foreach (var t in types) writer.Sample(Utilization.OfType(window, t.ActorType), Type(t));

        writer.Declare("aggregator_actor_mailbox_depth", MetricType.Gauge, "Messages waiting in the mailboxes of live actors of this type.");
        foreach (var t in types) writer.Sample(t.MailboxDepth, Type(t));

        writer.Declare("aggregator_actor_live", MetricType.Gauge, "Live actors of this type.");
        foreach (var t in types) writer.Sample(t.LiveActors, Type(t));

        writer.Declare("aggregator_actor_mailbox_wait_seconds", MetricType.Histogram, "Time a sampled message waited in the mailbox before its turn.");
        foreach (var t in types) writer.Histogram(DurationHistograms.ToSeries(t.MailboxWait), Type(t));

        writer.Declare("aggregator_actor_processing_seconds", MetricType.Histogram, "Time a sampled message took to process.");
        foreach (var t in types) writer.Histogram(DurationHistograms.ToSeries(t.Processing), Type(t));

        writer.Declare("aggregator_actor_dead_letters_total", MetricType.Counter, "Messages for actors of this type that arrived after they stopped.");
        foreach (var t in types) writer.Sample(t.DeadLetters, Type(t));

        writer.Declare("aggregator_actor_restarts_total", MetricType.Counter, "Restarts of actors of this type by their supervisor.");
        foreach (var t in types) writer.Sample(t.Restarts, Type(t));

        writer.Declare("aggregator_actor_unhandled_total", MetricType.Counter, "Messages actors of this type did not handle.");
        foreach (var t in types) writer.Sample(t.Unhandled, Type(t));

        writer.Declare("aggregator_actor_slow_messages_total", MetricType.Counter, "Messages that took longer than the kernel's slow-message threshold.");
        foreach (var t in types) writer.Sample(t.SlowMessages, Type(t));

        writer.Declare("aggregator_actors_live", MetricType.Gauge, "Live actors in the system.");
        writer.Sample(kernel.LiveActors);

        writer.Declare("aggregator_dead_letters_total", MetricType.Counter, "Messages delivered to the dead-letter office.");
        writer.Sample(kernel.DeadLetters);

        writer.Declare("aggregator_unhandled_messages_total", MetricType.Counter, "Messages no actor handled.");
        writer.Sample(kernel.UnhandledMessages);
    }

    private static Label Type(ActorTypeSnapshot type) => new("actor_type", type.ActorType);

    /// <summary>Two classes with the same simple name (in different namespaces) would make duplicate series; they are summed instead.</summary>
    private static List<ActorTypeSnapshot> MergeByName(IReadOnlyList<ActorTypeSnapshot> types) =>
        types.GroupBy(t => t.ActorType, StringComparer.Ordinal)
            .Select(g => g.Aggregate((a, b) => a with
            {
                LiveActors = a.LiveActors + b.LiveActors,
                MessagesProcessed = a.MessagesProcessed + b.MessagesProcessed,
                BusyTime = a.BusyTime + b.BusyTime,
                MailboxDepth = a.MailboxDepth + b.MailboxDepth,
                SlowMessages = a.SlowMessages + b.SlowMessages,
                Unhandled = a.Unhandled + b.Unhandled,
                Restarts = a.Restarts + b.Restarts,
                DeadLetters = a.DeadLetters + b.DeadLetters,
                MailboxOverflow = a.MailboxOverflow + b.MailboxOverflow,
                MailboxWait = a.MailboxWait.Plus(b.MailboxWait),
                Processing = a.Processing.Plus(b.Processing),
            }))
            .OrderBy(t => t.ActorType, StringComparer.Ordinal)
            .ToList();
}
