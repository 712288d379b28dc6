using Aggregator.Actors.Inspection;
using Aggregator.Actors.Kernel.Instrumentation;

namespace Aggregator.Actors.Tests.Inspection;

/// <summary>Made-up samples for the inspection rules: only the numbers a test names differ from an idle actor.</summary>
internal static class Samples
{
    public static ActorSnapshot Actor(
        string path,
        string type = "Worker",
        long messages = 0,
        double busySeconds = 0,
        long depth = 0,
        double? turnRunningSeconds = null) =>
        new(path, type, messages, TimeSpan.FromSeconds(busySeconds),
            turnRunningSeconds is { } t ? TimeSpan.FromSeconds(t) : null,
            depth, depth, 0, 0, 0, 0, HistogramSnapshot.Empty, HistogramSnapshot.Empty);

    public static ActorTypeSnapshot Type(string type, double busySeconds = 0, long deadLetters = 0, long messages = 0) =>
        new(type, 1, messages, TimeSpan.FromSeconds(busySeconds), 0, 0, 0, 0, deadLetters, 0, HistogramSnapshot.Empty, HistogramSnapshot.Empty);

    public static InspectionSample At(
        double uptimeSeconds,
        IReadOnlyList<ActorSnapshot>? actors = null,
        IReadOnlyList<ActorTypeSnapshot>? types = null,
        long deadLetters = 0,
        double cpuSeconds = 0,
        int processors = 4)
    {
        actors ??= [];
        var kernel = new KernelSnapshot(
            DateTimeOffset.UnixEpoch.AddSeconds(uptimeSeconds), TimeSpan.FromSeconds(uptimeSeconds), actors.Count, deadLetters, 0, 0, processors,
            actors, types ?? []);
        var process = new ProcessSnapshot(TimeSpan.FromSeconds(cpuSeconds), 100_000_000, 50_000_000, [3, 2, 1], TimeSpan.Zero, DateTimeOffset.UnixEpoch, processors);
        return new InspectionSample(kernel, process, [], []);
    }

    public static InspectionWindow Window(InspectionSample earlier, InspectionSample latest) => new(earlier, latest, [earlier, latest]);
}
