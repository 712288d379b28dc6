using System.Runtime.InteropServices;

namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// CPU time (user and kernel) and context switches of the whole process, from getrusage(2), which also counts threads
/// that have exited (the round's producers). Tells whether a variant burns its time in the OS — waking and parking
/// threads — rather than in user code. Zero where getrusage is unavailable.
/// </summary>
internal readonly record struct ProcessUsage(TimeSpan User, TimeSpan System, long ContextSwitches)
{
    private const int RusageSelf = 0;

    public static ProcessUsage Now()
    {
        if (!OperatingSystem.IsLinux() || getrusage(RusageSelf, out var usage) != 0) return default;
        return new ProcessUsage(ToTimeSpan(usage.UserTime), ToTimeSpan(usage.SystemTime), usage.VoluntarySwitches + usage.InvoluntarySwitches);
    }

    public static ProcessUsage operator -(ProcessUsage after, ProcessUsage before) =>
        new(after.User - before.User, after.System - before.System, after.ContextSwitches - before.ContextSwitches);

    public static ProcessUsage operator +(ProcessUsage a, ProcessUsage b) =>
        new(a.User + b.User, a.System + b.System, a.ContextSwitches + b.ContextSwitches);

    private static TimeSpan ToTimeSpan(TimeValue value) => TimeSpan.FromTicks(value.Seconds * TimeSpan.TicksPerSecond + value.Microseconds * 10);

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out RUsage usage);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeValue
    {
        public long Seconds;
        public long Microseconds;
    }

    /// <summary>struct rusage on 64-bit Linux: two timevals, then fourteen longs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public TimeValue UserTime;
        public TimeValue SystemTime;
        public long MaxResidentSet, SharedMemory, UnsharedData, UnsharedStack, MinorFaults, MajorFaults, Swaps;
        public long BlockIn, BlockOut, MessagesSent, MessagesReceived, Signals;
        public long VoluntarySwitches;
        public long InvoluntarySwitches;
    }
}
