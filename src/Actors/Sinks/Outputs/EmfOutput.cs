using System.Buffers;
using System.Text.Json;
using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks.Outputs;

/// <summary>
/// Closed entries as CloudWatch embedded metric format documents, one per line, for the CloudWatch agent, Lambda or
/// Fargate log routing to turn into metrics. What becomes a metric, and how distributions are published, is
/// described on <see cref="EmfSettings"/> and in docs/persistence.md ("Outputs").
/// An entry beyond EMF's limits (100 metrics per document, 30 dimensions per set and, conservatively, per document)
/// is split into several valid documents, each repeating the entry id and dimensions; a value EMF cannot carry (a
/// non-finite number, an invalid or clashing name) is dropped and counted, never written invalid.
/// </summary>
public sealed class EmfOutput : IEntryOutput
{
    private readonly object gate = new();
    private readonly EmfSettings settings;
    private readonly LineTarget target;
    private readonly EmfEntryLayout layout;
    private readonly ArrayBufferWriter<byte> buffer = new(16 * 1024);
    private readonly Utf8JsonWriter writer;
    private long documentsWritten;
    private long entriesSplit;
    private long invalidNames;
    private long nonFiniteValues;
    private long nameClashes;
    private bool disposed;

    /// <param name="settings">Validated here; see <see cref="EmfSettings.Validate"/>.</param>
    /// <param name="target">Disposed with this output.</param>
    /// <exception cref="ArgumentException">The settings are invalid; the message names each bad setting (and dimension set).</exception>
    public EmfOutput(EmfSettings settings, LineTarget target)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(target);
        var errors = settings.Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid EMF settings: " + string.Join("; ", errors), nameof(settings));
        this.settings = settings;
        this.target = target;
        layout = new EmfEntryLayout(settings);
        writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, SkipValidation = false });
        Name = "emf:" + target.Kind;
    }

    public string Name { get; }

    public long DocumentsWritten => Interlocked.Read(ref documentsWritten);

    /// <summary>Entries written as more than one document because of EMF's limits.</summary>
    public long EntriesSplit => Interlocked.Read(ref entriesSplit);

    /// <summary>Values not published: the sum of <see cref="InvalidNames"/>, <see cref="NonFiniteValues"/> and <see cref="NameClashes"/>.</summary>
    public long MetricsDropped => InvalidNames + NonFiniteValues + NameClashes;

    /// <summary>Metric names that are empty or longer than 255 characters.</summary>
    public long InvalidNames => Interlocked.Read(ref invalidNames);

    /// <summary>NaN and infinite values, which JSON (and so EMF) cannot carry as numbers.</summary>
    public long NonFiniteValues => Interlocked.Read(ref nonFiniteValues);

    /// <summary>Metrics whose name was already a member of the document (a dimension, a fixed member or another metric).</summary>
    public long NameClashes => Interlocked.Read(ref nameClashes);

    public void Write(IReadOnlyList<ClosedEntry> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) return;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            foreach (var entry in batch) WriteEntry(entry);
            target.EndBatch();
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            writer.Dispose();
            target.Dispose();
        }
    }

    private void WriteEntry(ClosedEntry entry)
    {
        layout.Lay(entry);
        Interlocked.Add(ref invalidNames, layout.InvalidNames);
        Interlocked.Add(ref nonFiniteValues, layout.NonFiniteValues);
        Interlocked.Add(ref nameClashes, layout.NameClashes);

        var metrics = layout.Metrics.Count;
        var documents = 0;
        if (metrics == 0)
        {
            WriteDocument(layout.DimensionGroups[0], 0, 0);
            documents = 1;
        }
        else
        {
            foreach (var group in layout.DimensionGroups)
                for (var first = 0; first < metrics; first += EmfLimits.MetricsPerDocument)
                {
                    WriteDocument(group, first, Math.Min(EmfLimits.MetricsPerDocument, metrics - first));
                    documents++;
                }
        }
        Interlocked.Add(ref documentsWritten, documents);
        if (documents > 1) Interlocked.Increment(ref entriesSplit);
    }

    private void WriteDocument(List<IReadOnlyList<string>> dimensionSets, int firstMetric, int metricCount)
    {
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        EmfDocumentWriter.Write(writer, settings.Namespace, layout, dimensionSets, firstMetric, metricCount);
        writer.Flush();
        target.Append(buffer.WrittenSpan);
    }
}
