using Aggregator.Benchmarks.Baselines;

namespace Aggregator.Benchmarks.Entries;

/// <summary>
/// Bounds the entries in flight (opened by the producers, not yet counted by the sink), so a round measures the
/// system at a steady state rather than how fast mailboxes can grow. A producer that finds the window full blocks
/// (it must not spin: on two cores a spinning producer takes the CPU the actors it waits for need) until the sink has
/// brought the count down to half the window, then refills it. Each producer publishes its opened count on its own
/// cache line, so the producers never contend on a shared counter.
/// </summary>
internal sealed class InFlightWindow
{
    private readonly PaddedCounters opened;
    private readonly ClosedEntryTally tally;
    private readonly int window;
    private readonly int lowWater;
    private readonly object gate = new();
    private int waiting;
    private long waits;

    public InFlightWindow(int producers, int window, ClosedEntryTally tally)
    {
        opened = new PaddedCounters(producers);
        this.tally = tally;
        this.window = window;
        lowWater = window / 2;
        tally.Counted = OnClosed;
    }

    /// <summary>How many times a producer found the window full (over the window's lifetime).</summary>
    public long Waits => Interlocked.Read(ref waits);

    public long InFlight => opened.Total() - tally.Closed;

    /// <summary>Waits until there is room for one more entry, then counts it as opened by <paramref name="producer"/>.</summary>
    public void Enter(int producer)
    {
        if (InFlight >= window) Block();
        Volatile.Write(ref opened[producer], opened[producer] + 1);
    }

    private void Block()
    {
        Interlocked.Increment(ref waits);
        lock (gate)
        {
            // Announce the wait before re-reading the count: the sink increments its count before reading 'waiting',
            // so one of the two always sees the other (both are full fences).
            Interlocked.Increment(ref waiting);
            while (InFlight > lowWater) Monitor.Wait(gate, TimeSpan.FromMilliseconds(10));
            Interlocked.Decrement(ref waiting);
        }
    }

    /// <summary>Called by the sink after each count: wakes blocked producers once the window has drained to half.</summary>
    private void OnClosed()
    {
        if (Volatile.Read(ref waiting) == 0 || InFlight > lowWater) return;
        lock (gate) Monitor.PulseAll(gate);
    }
}
