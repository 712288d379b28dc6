using Aggregator.Actors.Kernel;
using Aggregator.Benchmarks.Baselines;
using Aggregator.Benchmarks.Throughput;

namespace Aggregator.Benchmarks.Allocation;

/// <summary>Kernel receiver of the allocation benchmark: counts payloads into a <see cref="DrainCounter"/>, allocating nothing.</summary>
internal sealed class CountingActor : ReceiveActor
{
    public CountingActor(DrainCounter counter) => Receive<Payload>(payload => counter.Add(payload.Value));
}

/// <summary>The Channel twin of <see cref="CountingActor"/>.</summary>
internal sealed class CountingChannelActor(DrainCounter counter) : ChannelActor
{
    protected override void Receive(object message)
    {
        if (message is Payload payload) counter.Add(payload.Value);
    }
}
