namespace Aggregator.Actors.Tests.Aggregates;

/// <summary>The shapes of data the sketch must stay accurate on, drawn from a seeded Random so a failure is reproducible.</summary>
internal enum Shape
{
    Uniform,
    Exponential,
    LogNormal,
    Pareto,
    Negative,
    MixedSign,
    WithZeros,
    Tiny,
    Huge,
    Integers,
}

internal static class SampleData
{
    public static readonly Shape[] Shapes = Enum.GetValues<Shape>();

    public static double[] Draw(Shape shape, int count, int seed)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++) values[i] = Next(shape, random);
        return values;
    }

    private static double Next(Shape shape, Random random) => shape switch
    {
        Shape.Uniform => random.NextDouble() * 1000,
        Shape.Exponential => -Math.Log(1 - random.NextDouble()) * 20,
        Shape.LogNormal => Math.Exp(1 + 2 * Normal(random)),
        Shape.Pareto => 1 / Math.Pow(1 - random.NextDouble(), 1 / 1.1), // tail index 1.1: heavy, finite mean
        Shape.Negative => -Math.Exp(3 + 1.5 * Normal(random)),
        Shape.MixedSign => Normal(random) * 100 * (random.Next(10) == 0 ? 1000 : 1),
        Shape.WithZeros => random.Next(3) == 0 ? 0 : Math.Exp(2 * Normal(random)) * (random.Next(2) == 0 ? -1 : 1),
        Shape.Tiny => Math.Exp(2 * Normal(random)) * 1e-300,
        Shape.Huge => Math.Exp(2 * Normal(random)) * 1e300,
        Shape.Integers => random.Next(0, 50),
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>
    /// The exact quantile under the sketch's rank definition: the element of zero-based rank ⌊q·(n−1)⌋ of the sorted
    /// values (the same expression as <c>DDSketch.Quantile</c>).
    /// </summary>
    public static double ExactQuantile(double[] sorted, double q) => sorted[(long)Math.Floor(q * (sorted.Length - 1))];

    /// <summary>Within α of the exact value (a 1e-12 allowance for the last bit of the division).</summary>
    public static bool WithinRelative(double estimate, double exact, double alpha) =>
        exact == 0 ? estimate == 0 : Math.Abs(estimate - exact) <= alpha * (1 + 1e-12) * Math.Abs(exact);
}
