using Aggregator.Actors.Kernel.Instrumentation;

namespace Aggregator.Actors.Kernel.Dispatch;

/// <summary>
/// The kernel's record of one actor: the instance, its mailbox, children, watchers and lifecycle state.
/// Everything here runs inside the actor's own turn (one thread at a time), except the few members noted.
/// This file holds message invocation; lifecycle, children, death watch and receive timeout live beside it.
/// </summary>
internal sealed partial class ActorCell : IActorContext
{
    /// <summary>The cell whose turn is running on this thread: gives <c>Tell(message)</c> its implicit sender.</summary>
    [ThreadStatic] internal static ActorCell? Current;

    /// <summary>The cell whose actor is being constructed on this thread, for <see cref="ActorBase"/>'s constructor.</summary>
    [ThreadStatic] internal static ActorCell? Constructing;

    private ActorBase? actor;
    private object? currentMessage;
    private IActorRef? currentSender;

    public ActorCell(ActorSystem system, LocalActorRef self, Props props, InternalActorRef parent)
    {
        System = system;
        SelfRef = self;
        Props = props;
        ParentRef = parent;
        self.Cell = this;
        TypeTotals = system.Instrumentation.TotalsFor(props.ActorType);
        Mailbox = new Mailbox(this, props.Throughput ?? system.Settings.Throughput, props.MailboxCapacity, system.Instrumentation.SlowMessageMillis);
    }

    public ActorSystem System { get; }
    public LocalActorRef SelfRef { get; }
    public InternalActorRef ParentRef { get; }
    public Props Props { get; }
    public Mailbox Mailbox { get; }
    public ActorStats Stats { get; } = new();
    public ActorTypeTotals TypeTotals { get; }

    public IActorRef Self => SelfRef;
    public IActorRef Parent => ParentRef;
    public IActorRef Sender => currentSender ?? System.DeadLetters;

    /// <summary>Registers the cell and queues its creation; the actor is constructed on its own first turn.</summary>
    public void Start()
    {
        System.Instrumentation.Register(this);
        Mailbox.Start();
    }

    private const int NotRegistered = 0, Registered = 1, Unregistered = 2;
    private int registration;

    /// <summary>Started and not yet stopped: counted as live and shown in snapshots.</summary>
    public bool IsRegistered => Volatile.Read(ref registration) == Registered;

    /// <summary>False when the cell already stopped (it was told to stop before it started).</summary>
    internal bool MarkRegistered() => Interlocked.CompareExchange(ref registration, Registered, NotRegistered) == NotRegistered;

    /// <summary>Whether the cell had been registered; null when it was already unregistered.</summary>
    internal bool? MarkUnregistered() => Interlocked.Exchange(ref registration, Unregistered) switch
    {
        Registered => true,
        NotRegistered => false,
        _ => null,
    };

    /// <summary>Processes one user message (mailbox turn loop).</summary>
    public void Invoke(object message, IActorRef? sender)
    {
        currentMessage = message;
        currentSender = sender;
        // Activity is the arrival of a message, recorded before the handler runs (and possibly replies).
        if (receiveTimeout is not null && message is not INotInfluenceReceiveTimeout) MarkActivity();
        try
        {
            if (message is IAutoReceivedMessage auto) AutoReceive(auto);
            else if (!actor!.AroundReceive(message)) actor.AroundUnhandled(message);
        }
        catch (Exception exception)
        {
            HandleFailure(exception);
        }
        finally
        {
            currentMessage = null;
            currentSender = null;
        }
    }

    private void AutoReceive(IAutoReceivedMessage message)
    {
        switch (message)
        {
            case PoisonPill:
                SelfRef.SendSystemMessage(new Terminate());
                break;
            case Kill:
                throw new ActorKilledException(SelfRef.Path);
            case Identify identify:
                Sender.Tell(new ActorIdentity(identify.MessageId, SelfRef), SelfRef);
                break;
            case Terminated terminated:
                ReceiveTerminated(terminated);
                break;
            case ReceiveTimeoutTick:
                if (ReceiveTimeoutElapsed()) Deliver(Kernel.ReceiveTimeout.Instance);
                break;
            default:
                Deliver(message);
                break;
        }
    }

    private void Deliver(object message)
    {
        if (!actor!.AroundReceive(message)) actor.AroundUnhandled(message);
    }

    /// <summary>Processes one system message; a failure in it (e.g. an unhandled Terminated) is handled like any actor failure.</summary>
    public void SystemInvoke(SystemMessage message)
    {
        try
        {
            switch (message)
            {
                case Create: CreateActor(); break;
                case Terminate: BeginTerminate(); break;
                case Resume: ResumeAfterFailure(); break;
                case Recreate recreate: BeginRecreate(recreate.Cause); break;
                case Failed failed: HandleChildFailure(failed); break;
                case Watch watch: AddWatcher(watch); break;
                case Unwatch unwatch: RemoveWatcher(unwatch); break;
                case DeathWatchNotification notification: HandleDeathWatchNotification(notification); break;
            }
        }
        catch (Exception exception)
        {
            HandleFailure(exception);
        }
    }

    public void ReportUnhandled(object message)
    {
        Volatile.Write(ref Stats.Unhandled, Stats.Unhandled + 1);
        System.OnUnhandled(new UnhandledMessage(message, currentSender, SelfRef));
    }

    /// <summary>Producer thread: the bounded mailbox is full.</summary>
    public void OnMailboxOverflow(object message, IActorRef? sender)
    {
        Interlocked.Increment(ref Stats.MailboxOverflow);
        System.DeadLetterOffice.Publish(new DeadLetter(message, sender, SelfRef, DeadLetterReason.MailboxFull), TypeTotals);
    }

    /// <summary>Any thread: a user message reached this actor after it stopped.</summary>
    public void OnDeadLetter(object message, IActorRef? sender) =>
        System.DeadLetterOffice.Publish(new DeadLetter(message, sender, SelfRef, DeadLetterReason.RecipientStopped), TypeTotals);

    private ActorBase NewActor()
    {
        var outer = Constructing;
        Constructing = this;
        try
        {
            return Props.Factory();
        }
        finally
        {
            Constructing = outer;
        }
    }
}
