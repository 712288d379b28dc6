using System.Runtime.InteropServices;

namespace Aggregator.Benchmarks.Baselines;

/// <summary>
/// The "why not just atomics" baseline's state: one counter per would-be actor, each on its own cache line so that
/// counters owned by different threads never share one (only genuinely shared counters are contended).
/// </summary>
internal sealed class PaddedCounters(int count)
{
    private readonly Cell[] cells = new Cell[count];

    public int Count => cells.Length;

    /// <summary>The counter an Interlocked operation targets.</summary>
    public ref long this[int index] => ref cells[index].Value;

    public long Total()
    {
        long total = 0;
        for (var i = 0; i < cells.Length; i++) total += Interlocked.Read(ref cells[i].Value);
        return total;
    }

    public void Reset()
    {
        for (var i = 0; i < cells.Length; i++) Interlocked.Exchange(ref cells[i].Value, 0);
    }

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct Cell
    {
        [FieldOffset(64)] public long Value;
    }
}
