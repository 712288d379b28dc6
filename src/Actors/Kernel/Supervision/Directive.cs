namespace Aggregator.Actors.Kernel.Supervision;

/// <summary>What a supervisor does with a failed child.</summary>
public enum Directive
{
    /// <summary>Keep the instance and its state; drop the failing message and go on.</summary>
    Resume,
    /// <summary>Replace the instance with a fresh one from its Props; the mailbox (minus the failing message) is kept.</summary>
    Restart,
    /// <summary>Stop the child permanently.</summary>
    Stop,
    /// <summary>Fail the supervisor itself with the same exception, so its own supervisor decides.</summary>
    Escalate,
}
