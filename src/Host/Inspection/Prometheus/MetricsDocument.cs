using Aggregator.Actors.Inspection;

namespace Aggregator.Host.Inspection.Prometheus;

/// <summary>The whole <c>/metrics</c> answer for one window: kernel, entries, sinks, ingestion, process.</summary>
public static class MetricsDocument
{
    public static string Render(InspectionWindow window, Aggregator.Host.Ingestion.IngestionStatistics? ingestion = null)
    {
        var writer = new ExpositionWriter();
        KernelMetrics.Write(writer, window);
        EntryMetrics.Write(writer, window.Latest.Entries);
        SinkMetrics.Write(writer, window.Latest.Sinks);
        if (ingestion is not null) IngestionMetrics.Write(writer, ingestion);
        ProcessMetrics.Write(writer, window);
        return writer.ToString();
    }
}
