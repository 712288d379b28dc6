using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks.Aggregates;

/// <summary>
/// Turns a <see cref="DistributionSummary"/> back into weighted points a sketch can count. A closed entry keeps a
/// distribution's quantiles, not its observations, so this is an approximation, and the one place that decides it.
/// </summary>
/// <remarks>
/// <para>
/// For n observations: one is exactly the minimum and one exactly the maximum (so the sketch's count, min and max
/// equal the distribution's). The other n − 2 are spread over the reported quantiles by nearest rank: quantile pᵢ
/// stands for the ranks closer to it than to its neighbours, i.e. the share between the midpoints (pᵢ₋₁+pᵢ)/2 and
/// (pᵢ+pᵢ₊₁)/2 (0 and 1 at the ends), rounded cumulatively so the integer weights add up to n − 2 exactly.
/// Without quantiles, the n − 2 are put at the mean of the rest, (sum − min − max)/(n − 2), which keeps the sketch's
/// sum exact.
/// </para>
/// <para>
/// Consequence: a merged quantile is within α of what the merged <em>points</em> say, not of the true merged
/// observations; with the usual p50/p90/p99 it resolves the body and tail of each entry's distribution but not the
/// shape between the reported quantiles. Quantiles outside [0, 1] or with non-finite values are ignored, and values
/// are clamped into [min, max].
/// </para>
/// </remarks>
internal static class DistributionPoints
{
    public static List<(double Value, long Weight)> Of(DistributionSummary distribution)
    {
        var n = distribution.Count;
        var points = new List<(double, long)>(distribution.Quantiles.Count + 2) { (distribution.Min, 1) };
        if (n == 1) return points;
        points.Add((distribution.Max, 1));
        var rest = n - 2;
        if (rest == 0) return points;

        var quantiles = distribution.Quantiles
            .Where(q => q.Quantile >= 0 && q.Quantile <= 1 && double.IsFinite(q.Value))
            .OrderBy(q => q.Quantile)
            .ToArray();
        if (quantiles.Length == 0)
        {
            var mean = (distribution.Sum - distribution.Min - distribution.Max) / rest;
            points.Add((Math.Clamp(double.IsFinite(mean) ? mean : distribution.Min, distribution.Min, distribution.Max), rest));
            return points;
        }

        long assigned = 0;
        for (var i = 0; i < quantiles.Length; i++)
        {
            var upperBoundary = i == quantiles.Length - 1 ? 1.0 : (quantiles[i].Quantile + quantiles[i + 1].Quantile) / 2;
            var cumulative = i == quantiles.Length - 1 ? rest : (long)Math.Round(rest * upperBoundary, MidpointRounding.AwayFromZero);
            var weight = cumulative - assigned;
            if (weight <= 0) continue;
            points.Add((Math.Clamp(quantiles[i].Value, distribution.Min, distribution.Max), weight));
            assigned = cumulative;
        }
        return points;
    }
}
