namespace Aggregator.Contracts.Client;

/// <summary>What became of one attempt at a batch (<see cref="IBatchTransport.SendAsync"/>).</summary>
public enum BatchResult
{
    /// <summary>Every message taken (HTTP 202, or a publish the broker confirmed).</summary>
    Accepted,

    /// <summary>HTTP 200: the valid messages applied, the rest listed in <see cref="BatchOutcome.Rejections"/>.</summary>
    PartlyRejected,

    /// <summary>Given up on for good: retrying cannot fix it (a 400, a 413, …).</summary>
    Failed,

    /// <summary>Not taken now, but waiting may fix it (a 503, a connection failure, an unconfirmed publish): the client retries.</summary>
    Transient,
}

/// <summary>
/// The answer to one attempt. <see cref="Failure"/> says what went wrong for <see cref="BatchResult.Failed"/> and
/// <see cref="BatchResult.Transient"/> (the latter reported once retries are exhausted); <see cref="RetryAfter"/> is
/// the delay the other side asked for, if any, used instead of the backoff (within the client's bounds).
/// </summary>
public readonly record struct BatchOutcome(
    BatchResult Result,
    int Accepted,
    IReadOnlyList<(int Index, string Error)> Rejections,
    BatchFailure? Failure,
    TimeSpan? RetryAfter = null)
{
    public static BatchOutcome AllAccepted(int messages) => new(BatchResult.Accepted, messages, [], null);

    public static BatchOutcome GaveUp(BatchFailure failure) => new(BatchResult.Failed, 0, [], failure);

    public static BatchOutcome TryAgain(BatchFailure failure, TimeSpan? retryAfter = null) => new(BatchResult.Transient, 0, [], failure, retryAfter);
}
