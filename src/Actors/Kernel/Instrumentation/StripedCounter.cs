using System.Runtime.InteropServices;

namespace Aggregator.Actors.Kernel.Instrumentation;

/// <summary>
/// A count that many threads change often and few read: one padded cell per processor, so an increment on one core
/// never waits for a cache line another core is writing. A read sums the cells (exact when no change is in flight;
/// an increment and its decrement may land in different cells, which the sum does not mind).
/// </summary>
internal sealed class StripedCounter
{
    private static readonly int StripeMask = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount) - 1;
    private readonly PaddedCell[] cells = new PaddedCell[StripeMask + 1];

    public void Add(long delta) => Interlocked.Add(ref cells[Thread.GetCurrentProcessorId() & StripeMask].Value, delta);

    public long Sum
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < cells.Length; i++) sum += Volatile.Read(ref cells[i].Value);
            return sum;
        }
    }

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedCell
    {
        [FieldOffset(64)] public long Value;
    }
}
