using Aggregator.Actors.Kernel;

namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// Akka.NET's PingPong client: starts with a batch of payloads in flight to its echo, sends one more per reply until
/// its quota is sent, and signals the round's latch when the last reply is back.
/// </summary>
internal sealed class PingPongClientActor : ReceiveActor
{
    private readonly Payload payload = new();
    private long quota;
    private long sent;
    private long received;
    private long sum;
    private RoundLatch? latch;

    public PingPongClientActor(IActorRef echo)
    {
        Receive<Payload>(reply =>
        {
            sum += reply.Value;
            received++;
            if (sent < quota)
            {
                echo.Tell(reply, Self);
                sent++;
            }
            else if (received == quota)
            {
                latch!.Signal(sum);
            }
        });
        Receive<Serve>(serve =>
        {
            quota = serve.RoundTrips;
            latch = serve.Latch;
            sent = received = sum = 0;
            var batch = Math.Min(serve.InFlight, quota);
            for (var i = 0; i < batch; i++)
            {
                echo.Tell(payload, Self);
                sent++;
            }
        });
    }
}

/// <summary>Akka.NET's PingPong echo: replies to the sender with the message it got (and sums it, like every receiver).</summary>
internal sealed class PingPongEchoActor : ReceiveActor
{
    private long sum;

    public PingPongEchoActor()
    {
        Receive<Payload>(message =>
        {
            sum += message.Value;
            Sender.Tell(message, Self);
        });
        Receive<Report>(report =>
        {
            report.Latch.Signal(sum);
            sum = 0;
        });
    }
}
