using Aggregator.Actors.Kernel;
using Aggregator.Benchmarks.Baselines;
using Aggregator.Benchmarks.Throughput;
using BenchmarkDotNet.Attributes;

namespace Aggregator.Benchmarks.Allocation;

/// <summary>
/// Allocation per Tell, checked by BenchmarkDotNet's MemoryDiagnoser: each invocation sends a batch of one
/// preallocated payload and waits until the receiver has consumed it, so the reported bytes/op are what a Tell costs
/// beyond the message itself (target: 0). The Channel write is the baseline. MemoryDiagnoser counts the allocations
/// of the calling thread, i.e. the Tell side; the <c>bdn</c> command also reports a process-wide figure. The Mean
/// column is send-and-consume time per message (the wait is part of the operation), not the cost of a Tell alone.
/// </summary>
[MemoryDiagnoser]
public class TellAllocationBenchmarks
{
    /// <summary>Messages per invocation; bytes/op are divided by this.</summary>
    public const int Batch = 1024;

    private readonly Payload payload = new();
    private readonly DrainCounter kernelCounter = new();
    private readonly DrainCounter channelCounter = new();
    private ActorSystem? system;
    private IActorRef? actor;
    private CountingChannelActor? channel;

    [GlobalSetup]
    public void Setup()
    {
        system = ActorSystem.Create("bench-alloc", new ActorSystemSettings { RunCoordinatedShutdownOnExitSignals = false });
        var counter = kernelCounter;
        actor = system.ActorOf(Props.Create(() => new CountingActor(counter)), "sink");
        channel = new CountingChannelActor(channelCounter);
        channel.Start();
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "actor.Tell(preallocated)")]
    public void KernelTell()
    {
        var target = kernelCounter.Expect(Batch);
        var receiver = actor!;
        for (var i = 0; i < Batch; i++) receiver.Tell(payload, ActorRefs.NoSender);
        kernelCounter.WaitFor(target);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch, Description = "channel.Writer.TryWrite(preallocated)")]
    public void ChannelWrite()
    {
        var target = channelCounter.Expect(Batch);
        var receiver = channel!;
        for (var i = 0; i < Batch; i++) receiver.Tell(payload, null);
        channelCounter.WaitFor(target);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        channel?.StopAsync().Wait(TimeSpan.FromSeconds(30));
        system?.Terminate().Wait(TimeSpan.FromSeconds(30));
    }
}
