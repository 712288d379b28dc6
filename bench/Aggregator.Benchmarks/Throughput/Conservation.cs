namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// Message conservation, checked after every round: the receivers' sums add up to exactly the messages sent, so a
/// fast number can never come from lost (or duplicated) messages.
/// </summary>
internal static class Conservation
{
    public static void Verify(long received, long sent, string what)
    {
        if (received != sent)
            throw new MessageConservationException($"{what}: receivers counted {received}, producers sent {sent}");
    }
}

/// <summary>Receivers saw a different number of messages than producers sent: the harness or the kernel lost or duplicated some.</summary>
internal sealed class MessageConservationException(string message) : Exception(message);

/// <summary>The kernel's side of conservation: in a healthy round nothing becomes a dead letter or goes unhandled.</summary>
internal static class KernelConservation
{
    public static void Verify(Aggregator.Actors.Kernel.ActorSystem system, string what)
    {
        if (system.DeadLetterOffice.Count != 0 || system.UnhandledCount != 0)
            throw new MessageConservationException($"{what}: {system.DeadLetterOffice.Count} dead letters, {system.UnhandledCount} unhandled messages");
    }
}
