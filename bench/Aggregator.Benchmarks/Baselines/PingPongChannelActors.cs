using Aggregator.Benchmarks.Throughput;

namespace Aggregator.Benchmarks.Baselines;

/// <summary>The Channel twin of <see cref="PingPongClientActor"/>: same batch start, same one-more-per-reply loop.</summary>
internal sealed class PingPongChannelClient(ChannelActor echo) : ChannelActor
{
    private readonly Payload payload = new();
    private long quota;
    private long sent;
    private long received;
    private long sum;
    private RoundLatch? latch;

    protected override void Receive(object message)
    {
        if (message is Payload reply)
        {
            sum += reply.Value;
            received++;
            if (sent < quota)
            {
                echo.Tell(reply, this);
                sent++;
            }
            else if (received == quota)
            {
                latch!.Signal(sum);
            }
        }
        else if (message is Serve serve)
        {
            quota = serve.RoundTrips;
            latch = serve.Latch;
            sent = received = sum = 0;
            var batch = Math.Min(serve.InFlight, quota);
            for (var i = 0; i < batch; i++)
            {
                echo.Tell(payload, this);
                sent++;
            }
        }
    }
}

/// <summary>The Channel twin of <see cref="PingPongEchoActor"/>: replies to the envelope's sender.</summary>
internal sealed class PingPongChannelEcho : ChannelActor
{
    private long sum;

    protected override void Receive(object message)
    {
        if (message is Payload payload)
        {
            sum += payload.Value;
            Sender!.Tell(payload, this);
        }
        else if (message is Report report)
        {
            report.Latch.Signal(sum);
            sum = 0;
        }
    }
}
