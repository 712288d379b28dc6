using Aggregator.Actors.Inspection;

namespace Aggregator.Host.Inspection.Prometheus;

/// <summary>
/// The process and the .NET runtime: CPU, memory, GC, the thread pool the actors run on, and the JIT (a process that
/// still compiles many methods a second is not yet at its steady-state cost, which matters when reading its CPU figures).
/// </summary>
public static class ProcessMetrics
{
    public static void Write(ExpositionWriter writer, InspectionWindow window)
    {
        var process = window.Latest.Process;
        var kernel = window.Latest.Kernel;

        writer.Declare("process_cpu_seconds_total", MetricType.Counter, "CPU time of the process, user and system.");
        writer.Sample(process.CpuTime.TotalSeconds);
        writer.Declare("process_cpu_utilization", MetricType.Gauge, "CPU time over the inspection window as a fraction of all processors.");
        writer.Sample(Utilization.OfProcess(window));
        writer.Declare("process_resident_memory_bytes", MetricType.Gauge, "Working set of the process.");
        writer.Sample(process.WorkingSetBytes);
        writer.Declare("process_start_time_seconds", MetricType.Gauge, "Start of the process, in seconds since the Unix epoch.");
        writer.Sample(process.StartedAt.ToUnixTimeMilliseconds() / 1000.0);

        writer.Declare("dotnet_gc_heap_bytes", MetricType.Gauge, "Bytes allocated on the managed heap and still reachable as of the last GC.");
        writer.Sample(process.ManagedHeapBytes);
        writer.Declare("dotnet_gc_collections_total", MetricType.Counter, "Garbage collections, by generation.");
        for (var g = 0; g < process.GcCollections.Count; g++)
            writer.Sample(process.GcCollections[g], new Label("generation", g.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        writer.Declare("dotnet_gc_pause_seconds_total", MetricType.Counter, "Time the runtime paused threads for garbage collection.");
        writer.Sample(process.GcPauseTime.TotalSeconds);

        writer.Declare("dotnet_threadpool_queue_length", MetricType.Gauge, "Work items waiting for a thread-pool thread (actor turns among them).");
        writer.Sample(kernel.ThreadPoolQueueLength);
        writer.Declare("dotnet_threadpool_threads", MetricType.Gauge, "Thread-pool threads.");
        writer.Sample(kernel.ThreadPoolThreads);

        writer.Declare("dotnet_jit_compiled_methods_total", MetricType.Counter, "Methods the JIT compiled, tiered recompilations included.");
        writer.Sample(System.Runtime.JitInfo.GetCompiledMethodCount());
        writer.Declare("dotnet_jit_compilation_seconds_total", MetricType.Counter, "Time spent in the JIT.");
        writer.Sample(System.Runtime.JitInfo.GetCompilationTime().TotalSeconds);
    }
}
