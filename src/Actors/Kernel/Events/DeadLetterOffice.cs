using Aggregator.Actors.Kernel.Instrumentation;
using Serilog;

namespace Aggregator.Actors.Kernel.Events;

/// <summary>Where undeliverable messages end: counted, logged with a rate limit, and published on the event stream.</summary>
public sealed class DeadLetterOffice
{
    private readonly ILogger log;
    private readonly EventStream events;
    private readonly LogRateLimiter limiter;
    private long count;

    internal DeadLetterOffice(ILogger log, EventStream events, LogRateLimiter limiter)
    {
        this.log = log;
        this.events = events;
        this.limiter = limiter;
    }

    /// <summary>Dead letters since the system started.</summary>
    public long Count => Interlocked.Read(ref count);

    internal void Publish(DeadLetter letter, ActorTypeTotals? recipientType = null)
    {
        Interlocked.Increment(ref count);
        recipientType?.CountDeadLetter();
        if (limiter.TryAcquire(out var suppressed))
        {
            log.Information("Dead letter ({Reason}): {MessageType} from {Sender} to {Recipient}{Suppressed}",
                letter.Reason, letter.Message.GetType().Name, letter.Sender?.Path.ToString() ?? "nobody", letter.Recipient.Path.ToString(),
                suppressed > 0 ? $" ({suppressed} more dead letters not logged)" : "");
        }
        events.Publish(letter);
    }
}
