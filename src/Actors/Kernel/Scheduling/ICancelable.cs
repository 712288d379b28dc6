namespace Aggregator.Actors.Kernel.Scheduling;

/// <summary>A scheduled delivery that can be called off.</summary>
public interface ICancelable
{
    bool IsCancellationRequested { get; }
    void Cancel();
}
