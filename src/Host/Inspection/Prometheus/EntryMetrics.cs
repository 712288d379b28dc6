using Aggregator.Actors.Entries;
using Aggregator.Contracts;

namespace Aggregator.Host.Inspection.Prometheus;

/// <summary>Entries per operation: opened, closed by reason, open now, and everything dropped or refused on the way.</summary>
public static class EntryMetrics
{
    public static void Write(ExpositionWriter writer, IReadOnlyList<OperationStatsSnapshot> operations)
    {
        writer.Family("aggregator_entries_opened_total", MetricType.Counter, "Entries opened.", operations, Operation, o => o.Opened);

        writer.Declare("aggregator_entries_closed_total", MetricType.Counter, "Entries closed, by close reason.");
        foreach (var o in operations)
            foreach (var reason in Enum.GetValues<CloseReason>())
                writer.Sample(o.Closed.GetValueOrDefault(reason), Operation(o), new Label("reason", reason.ToString()));

        writer.Family("aggregator_entries_in_flight", MetricType.Gauge, "Entries open right now.", operations, Operation, o => o.InFlight);

        writer.Family("aggregator_entries_discarded_total", MetricType.Counter, "Entries their owner discarded without emitting.", operations, Operation, o => o.Discarded);
        writer.Family("aggregator_entries_duplicate_opens_total", MetricType.Counter, "Opens of an id already open (ignored).", operations, Operation, o => o.DuplicateOpens);
        writer.Family("aggregator_entries_late_messages_total", MetricType.Counter, "Messages for an entry or slot that had already ended (dropped).", operations, Operation, o => o.Late);
        writer.Family("aggregator_entries_orphan_messages_total", MetricType.Counter, "Messages for an id or slot never opened (dropped).", operations, Operation, o => o.Orphans);
        writer.Family("aggregator_entries_use_after_close_total", MetricType.Counter, "Handle uses after their owner closed it (dropped).", operations, Operation, o => o.UseAfterClose);
        writer.Family("aggregator_entries_dropped_slots_total", MetricType.Counter, "Slots still open when their entry closed; their data was dropped.", operations, Operation, o => o.DroppedSlots);
        writer.Family("aggregator_entries_rejected_total", MetricType.Counter, "Invalid messages rejected (NaN, unknown guard, duplicate slot).", operations, Operation, o => o.Rejected);
        writer.Family("aggregator_entries_refused_total", MetricType.Counter, "Opens refused because the sinks were full.", operations, Operation, o => o.Refused);
    }


    private static Label Operation(OperationStatsSnapshot operation) => new("operation", operation.Operation);
}
