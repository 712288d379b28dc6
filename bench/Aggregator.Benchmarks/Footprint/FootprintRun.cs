using System.Diagnostics;
using Aggregator.Actors.Kernel;
using Aggregator.Benchmarks.Baselines;
using Aggregator.Benchmarks.Reporting;

namespace Aggregator.Benchmarks.Footprint;

/// <summary>
/// What one idle actor costs: retained bytes per live actor and actors created per second, beside a Channel actor
/// (an unbounded channel and its waiting reader loop). Entries are actors, so this bounds how many can be open at once.
/// </summary>
internal static class FootprintRun
{
    public const string Usage = "footprint [--actors N]   bytes per live actor and creation rate, kernel vs Channel actor";

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args is ["--actors", var n] ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        Console.WriteLine($"footprint: {count:N0} idle actors, each started; bytes per actor = heap with them alive minus heap after teardown");

        // Warm-up at a tenth of the size, so JIT and the registries' first growth are not charged to the measurement.
        await MeasureChannelAsync(count / 10);
        await MeasureKernelAsync(count / 10);
        var channel = await MeasureChannelAsync(count);
        var kernel = await MeasureKernelAsync(count);

        Console.WriteLine($"{"variant",-10} {"bytes/actor",12} {"created/s",12}");
        Console.WriteLine($"{"kernel",-10} {kernel.BytesPerActor,12:N0} {kernel.CreatedPerSecond,12:N0}");
        Console.WriteLine($"{"channel",-10} {channel.BytesPerActor,12:N0} {channel.CreatedPerSecond,12:N0}");
        Console.WriteLine(new ResultLine("kernel_actor_create_per_sec", kernel.CreatedPerSecond, "actors/s", channel.CreatedPerSecond));
        Console.WriteLine(new ResultLine("kernel_actor_bytes", kernel.BytesPerActor, "bytes", channel.BytesPerActor));
        return 0;
    }

    private sealed record Measurement(double BytesPerActor, double CreatedPerSecond);

    /// <summary>
    /// Bytes per actor = what tearing the actors down frees (heap with them alive minus heap after they are stopped
    /// and unreferenced), so garbage left by an earlier measurement cannot inflate or deflate the figure.
    /// </summary>
    private static async Task<Measurement> MeasureKernelAsync(int count)
    {
        await using var system = ActorSystem.Create("footprint", new ActorSystemSettings { RunCoordinatedShutdownOnExitSignals = false });
        var baselineActors = system.Instrumentation.LiveActors;
        var refs = new IActorRef[count];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++) refs[i] = system.ActorOf(Props.Create<IdleActor>());
        var created = clock.Elapsed;
        await Task.WhenAll(refs.Select(r => r.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(60))));
        var alive = Settle();

        foreach (var actor in refs) system.Stop(actor);
        var deadline = Stopwatch.StartNew();
        while (system.Instrumentation.LiveActors > baselineActors && deadline.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(10);
        Array.Clear(refs);
        var gone = Settle();
        return new Measurement((alive - gone) / (double)count, count / created.TotalSeconds);
    }

    private static async Task<Measurement> MeasureChannelAsync(int count)
    {
        var actors = new IdleChannelActor[count];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            actors[i] = new IdleChannelActor();
            actors[i].Start();
        }
        var created = clock.Elapsed;
        await Task.Yield();
        var alive = Settle();

        await Task.WhenAll(actors.Select(a => a.StopAsync()));
        Array.Clear(actors);
        var gone = Settle();
        return new Measurement((alive - gone) / (double)count, count / created.TotalSeconds);
    }

    /// <summary>Full collections until the heap stops shrinking, so garbage of the previous measurement is not counted against the next.</summary>
    private static long Settle()
    {
        var size = long.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Thread.Sleep(50);
            var now = GC.GetTotalMemory(forceFullCollection: true);
            if (now >= size) return now;
            size = now;
        }
        return size;
    }

    private sealed class IdleActor : ReceiveActor
    {
        public IdleActor() => ReceiveAny(_ => { });
    }

    private sealed class IdleChannelActor : ChannelActor
    {
        protected override void Receive(object message) { }
    }
}
