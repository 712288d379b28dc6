using Aggregator.Host.Ingestion;

namespace Aggregator.Host.Inspection.Prometheus;

/// <summary>POST /v1/messages by outcome, so refused and rejected traffic shows on a dashboard, not only in access logs.</summary>
public static class IngestionMetrics
{
    public static void Write(ExpositionWriter writer, IngestionStatistics statistics)
    {
        writer.Declare("aggregator_ingest_requests_total", MetricType.Counter, "Requests to POST /v1/messages.");
        writer.Sample(statistics.Requests);
        writer.Declare("aggregator_ingest_messages_total", MetricType.Counter, "Messages in ingestion requests by outcome: accepted (applied) or rejected (invalid, reported by index).");
        writer.Sample(statistics.MessagesAccepted, new Label("outcome", "accepted"));
        writer.Sample(statistics.MessagesRejected, new Label("outcome", "rejected"));
        writer.Declare("aggregator_ingest_refused_requests_total", MetricType.Counter, "Requests refused whole, by HTTP status: 400 unreadable body, 413 too large, 503 overloaded, starting or stopping.");
        writer.Sample(statistics.RequestsMalformed, new Label("status", "400"));
        writer.Sample(statistics.RequestsTooLarge, new Label("status", "413"));
        writer.Sample(statistics.RequestsUnavailable, new Label("status", "503"));
    }
}
