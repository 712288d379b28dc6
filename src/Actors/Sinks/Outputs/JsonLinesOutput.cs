using System.Buffers;
using System.Text;
using Aggregator.Contracts;
using Aggregator.Contracts.Json;

namespace Aggregator.Actors.Sinks.Outputs;

/// <summary>
/// Closed entries as JSON Lines: one <see cref="ContractsJson.Serialize(ClosedEntry)"/> object per line, the same
/// wire shape producers and the store use, so any line reads back with <see cref="ContractsJson.DeserializeClosedEntry(string)"/>.
/// For ad-hoc analysis (jq, DuckDB) and log shippers; flushed once per batch.
/// </summary>
public sealed class JsonLinesOutput : IEntryOutput
{
    private readonly object gate = new();
    private readonly LineTarget target;
    private readonly ArrayBufferWriter<byte> line = new(4096);
    private long entriesWritten;
    private bool disposed;

    /// <param name="target">Disposed with this output.</param>
    public JsonLinesOutput(LineTarget target)
    {
        this.target = target ?? throw new ArgumentNullException(nameof(target));
        Name = "jsonl:" + target.Kind;
    }

    public string Name { get; }

    public long EntriesWritten => Interlocked.Read(ref entriesWritten);

    public void Write(IReadOnlyList<ClosedEntry> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) return;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            foreach (var entry in batch)
            {
                var json = ContractsJson.Serialize(entry);
                // The serializer writes compact JSON and escapes control characters, so this never fires; if an
                // options change ever made it indent, a broken line would corrupt every reader downstream.
                if (json.AsSpan().IndexOfAny('\n', '\r') >= 0)
                    throw new InvalidOperationException($"Entry '{entry.Id}' serialised to more than one line; JSON Lines needs compact JSON.");
                line.ResetWrittenCount();
                var bytes = line.GetSpan(Encoding.UTF8.GetMaxByteCount(json.Length));
                var count = Encoding.UTF8.GetBytes(json, bytes);
                target.Append(bytes[..count]);
            }
            target.EndBatch();
            Interlocked.Add(ref entriesWritten, batch.Count);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            target.Dispose();
        }
    }
}
