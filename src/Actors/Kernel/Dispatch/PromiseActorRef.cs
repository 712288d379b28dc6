namespace Aggregator.Actors.Kernel.Dispatch;

/// <summary>A one-shot reference that completes an Ask's task with the first reply, or fails it on timeout.</summary>
internal sealed class PromiseActorRef : InternalActorRef
{
    private readonly TaskCompletionSource<object> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? timer;

    public PromiseActorRef(ActorPath path) : base(path) { }

    public Task<object> Task => completion.Task;

    public void StartTimer(TimeProvider clock, TimeSpan timeout, Func<string> describe)
    {
        timer = clock.CreateTimer(
            static state =>
            {
                var (self, text) = ((PromiseActorRef, Func<string>))state!;
                if (self.completion.TrySetException(new AskTimeoutException(text()))) self.timer?.Dispose();
            },
            (this, describe), timeout, Timeout.InfiniteTimeSpan);
    }

    public override void Tell(object message, IActorRef? sender)
    {
        var completed = message is Status.Failure failure
            ? completion.TrySetException(failure.Cause)
            : completion.TrySetResult(message);
        if (completed) timer?.Dispose();
    }

    public override void SendSystemMessage(SystemMessage message)
    {
        if (message is Watch watch && completion.Task.IsCompleted)
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(this, existenceConfirmed: false));
    }

    public override bool IsTerminated => completion.Task.IsCompleted;
}
