using System.Globalization;
using System.Text.Json;
using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks.Outputs;

/// <summary>
/// Writes one EMF document of an entry with <see cref="Utf8JsonWriter"/>: the metadata for one group of dimension
/// sets and one chunk of at most 100 metrics, then the members every document of the entry repeats (entry id,
/// operation, close reason, dimensions, plain fields) and the chunk's metric values. Hand-written rather than
/// serialised so the member order is fixed, nothing is reflected over, and no intermediate object is built.
/// </summary>
internal static class EmfDocumentWriter
{
    private static readonly JsonEncodedText Aws = JsonEncodedText.Encode(EmfLimits.MetadataMember);
    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("Timestamp");
    private static readonly JsonEncodedText CloudWatchMetrics = JsonEncodedText.Encode("CloudWatchMetrics");
    private static readonly JsonEncodedText Namespace = JsonEncodedText.Encode("Namespace");
    private static readonly JsonEncodedText Dimensions = JsonEncodedText.Encode("Dimensions");
    private static readonly JsonEncodedText Metrics = JsonEncodedText.Encode("Metrics");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("Name");
    private static readonly JsonEncodedText Unit = JsonEncodedText.Encode("Unit");
    private static readonly JsonEncodedText EntryId = JsonEncodedText.Encode(EmfSettings.EntryIdMember);
    private static readonly JsonEncodedText Operation = JsonEncodedText.Encode(EmfSettings.OperationMember);
    private static readonly JsonEncodedText CloseReason = JsonEncodedText.Encode(EmfSettings.CloseReasonMember);
    private static readonly JsonEncodedText Pending = JsonEncodedText.Encode(nameof(ClosedEntry.Pending));
    private static readonly JsonEncodedText FailedSlots = JsonEncodedText.Encode(nameof(ClosedEntry.FailedSlots));

    public static void Write(Utf8JsonWriter writer, string ns, EmfEntryLayout layout, List<IReadOnlyList<string>> dimensionSets, int firstMetric, int metricCount)
    {
        var entry = layout.Entry;
        writer.WriteStartObject();

        writer.WriteStartObject(Aws);
        writer.WriteNumber(Timestamp, entry.ClosedAt.ToUnixTimeMilliseconds());
        writer.WriteStartArray(CloudWatchMetrics);
        if (metricCount > 0)
        {
            writer.WriteStartObject();
            writer.WriteString(Namespace, ns);
            writer.WriteStartArray(Dimensions);
            foreach (var set in dimensionSets)
            {
                writer.WriteStartArray();
                foreach (var name in set) writer.WriteStringValue(name);
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
            writer.WriteStartArray(Metrics);
            for (var i = firstMetric; i < firstMetric + metricCount; i++)
            {
                writer.WriteStartObject();
                writer.WriteString(Name, layout.Metrics[i].Name);
                writer.WriteString(Unit, layout.Metrics[i].Unit);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();

        writer.WriteString(EntryId, entry.Id);
        writer.WriteString(Operation, entry.Operation);
        writer.WriteString(CloseReason, layout.CloseReasonName);
        foreach (var (name, value) in layout.Dimensions) writer.WriteString(name, value);
        for (var i = firstMetric; i < firstMetric + metricCount; i++) writer.WriteNumber(layout.Metrics[i].Name, layout.Metrics[i].Value);
        foreach (var (name, value) in layout.Properties) WriteProperty(writer, name, value);
        if (layout.WritePending) WriteStrings(writer, Pending, entry.Pending);
        if (layout.WriteFailedSlots) WriteStrings(writer, FailedSlots, entry.FailedSlots);

        writer.WriteEndObject();
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, FieldValue value)
    {
        switch (value.Kind)
        {
            case FieldKind.Bool:
                writer.WriteBoolean(name, value.Flag);
                break;
            case FieldKind.Timestamp:
                writer.WriteString(name, value.Timestamp.ToString("O", CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteString(name, value.Text);
                break;
        }
    }

    private static void WriteStrings(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    }
}
