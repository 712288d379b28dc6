using Aggregator.Actors.Inspection;

namespace Aggregator.Host.Inspection.Prometheus;

/// <summary>The whole <c>/metrics</c> answer for one window: kernel, entries, sinks, process.</summary>
public static class MetricsDocument
{
    public static string Render(InspectionWindow window)
    {
        var writer = new ExpositionWriter();
        KernelMetrics.Write(writer, window);
        EntryMetrics.Write(writer, window.Latest.Entries);
        SinkMetrics.Write(writer, window.Latest.Sinks);
        ProcessMetrics.Write(writer, window);
        return writer.ToString();
    }
}
