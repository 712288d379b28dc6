using Aggregator.Actors.Entries;
using Aggregator.Contracts;

namespace Aggregator.Host.Inspection.Prometheus;

/// <summary>Entries per operation: opened, closed by reason, open now, and everything dropped or refused on the way.</summary>
public static class EntryMetrics
{
    public static void Write(ExpositionWriter writer, IReadOnlyList<OperationStatsSnapshot> operations)
    {
        writer.Declare("aggregator_entries_opened_total", MetricType.Counter, "Entries opened.");
        foreach (var o in operations) writer.Sample(o.Opened, Operation(o));

        writer.Declare("aggregator_entries_closed_total", MetricType.Counter, "Entries closed, by close reason.");
        foreach (var o in operations)
            foreach (var reason in Enum.GetValues<CloseReason>())
                writer.Sample(o.Closed.GetValueOrDefault(reason), Operation(o), new Label("reason", reason.ToString()));

        writer.Declare("aggregator_entries_in_flight", MetricType.Gauge, "Entries open right now.");
        foreach (var o in operations) writer.Sample(o.InFlight, Operation(o));

        Counter(writer, operations, "aggregator_entries_discarded_total", "Entries their owner discarded without emitting.", o => o.Discarded);
        Counter(writer, operations, "aggregator_entries_duplicate_opens_total", "Opens of an id already open (ignored).", o => o.DuplicateOpens);
        Counter(writer, operations, "aggregator_entries_late_messages_total", "Messages for an entry or slot that had already ended (dropped).", o => o.Late);
        Counter(writer, operations, "aggregator_entries_orphan_messages_total", "Messages for an id or slot never opened (dropped).", o => o.Orphans);
        Counter(writer, operations, "aggregator_entries_use_after_close_total", "Handle uses after their owner closed it (dropped).", o => o.UseAfterClose);
        Counter(writer, operations, "aggregator_entries_dropped_slots_total", "Slots still open when their entry closed; their data was dropped.", o => o.DroppedSlots);
        Counter(writer, operations, "aggregator_entries_rejected_total", "Invalid messages rejected (NaN, unknown guard, duplicate slot).", o => o.Rejected);
        Counter(writer, operations, "aggregator_entries_refused_total", "Opens refused because the sinks were full.", o => o.Refused);
    }

    private static void Counter(ExpositionWriter writer, IReadOnlyList<OperationStatsSnapshot> operations, string name, string help, Func<OperationStatsSnapshot, long> value)
    {
        writer.Declare(name, MetricType.Counter, help);
        foreach (var o in operations) writer.Sample(value(o), Operation(o));
    }

    private static Label Operation(OperationStatsSnapshot operation) => new("operation", operation.Operation);
}
