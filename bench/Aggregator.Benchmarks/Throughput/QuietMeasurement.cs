using Aggregator.Benchmarks.Reporting;

namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// One variant measured the way every command measures its variants: once other processes have gone quiet, and with a
/// timed-out round or a lost message ending the whole run through <see cref="RunFailure"/>, never with a partial table.
/// </summary>
internal static class QuietMeasurement
{
    /// <param name="create">Builds the variant; it is disposed after the measurement.</param>
    /// <param name="plan">Round target, rounds and timeouts.</param>
    /// <param name="failure">Names the run in the FAILED line (<c>FAILED {failure}: {why}</c>).</param>
    /// <param name="zero">The RESULT line printed at zero when the variant fails.</param>
    /// <param name="warmUp">Runs before the harness calibrates, on the same variant.</param>
    /// <param name="measured">Reads what the variant knows after its rounds, before it is disposed.</param>
    public static async Task<Measured> RunAsync(
        Func<IThroughputVariant> create,
        MeasurementPlan plan,
        string failure,
        ResultLine zero,
        Func<IThroughputVariant, Task>? warmUp = null,
        Action<IThroughputVariant>? measured = null)
    {
        QuietWait.BeforeVariant();
        try
        {
            await using var variant = create();
            if (warmUp is not null) await warmUp(variant).ConfigureAwait(false);
            var result = await Measurement.RunAsync(variant, plan).ConfigureAwait(false);
            measured?.Invoke(variant);
            return result;
        }
        catch (Exception exception) when (exception is RoundTimeoutException or MessageConservationException)
        {
            throw RunFailure.Exit($"{failure}: {exception.Message}", zero);
        }
    }
}
