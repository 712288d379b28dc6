using System.Runtime.CompilerServices;

namespace Aggregator.Actors.Sinks.Aggregates;

/// <summary>
/// Maps a positive value to its sketch bucket and a bucket back to the value that stands for it, with a relative
/// error of at most α, without calling <see cref="Math.Log(double)"/> on the insert path.
/// </summary>
/// <remarks>
/// <para>
/// The paper's mapping is <c>index = ⌈log_γ x⌉</c> with γ = (1+α)/(1−α): bucket i holds (γ^(i−1), γ^i], and any value in
/// it is within α of the bucket's representative 2γ^i/(γ+1). Here the logarithm is replaced by a cheap monotone
/// approximation of log2 read off the double's bits: x = 2^e·(1+s) with s in [0, 1) gives
/// <c>L(x) = e + P(s)</c>, P(s) = (10/7)s − (3/5)s² + (6/35)s³ (P(0) = 0, P(1) = 1, so L is continuous and increasing
/// across octaves), and <c>index = ⌈L(x)·k⌉</c>.
/// </para>
/// <para>
/// How the α guarantee is kept: a bucket is an interval of width 1/k in L, and its width in ln x is
/// ∫ dL / (dL/d ln x). Within an octave dL/d ln x = (1+s)·P'(s), and (1+s)·P'(s) − 10/7 = (2s/35)(3s − 2)² ≥ 0, so
/// the slope is never below 10/7 (the coefficients are the cubic that maximises that smallest slope). Hence a bucket
/// spans at most (1/k)·(7/10) in ln x, and choosing k = (7/10)/ln γ (times 1 + 1e-9, so rounding in L cannot push a
/// value past the bound) makes every bucket's upper/lower ratio at most γ. The representative of bucket i is the
/// harmonic mean 2·lo·hi/(lo+hi) of its exact bounds lo = L⁻¹((i−1)/k), hi = L⁻¹(i/k), which is within
/// (hi−lo)/(hi+lo) ≤ (γ−1)/(γ+1) = α of every value in the bucket. The price is about 1 % more buckets than the exact
/// logarithm would need (7/(10·ln 2) ≈ 1.0099), in exchange for a handful of multiply-adds instead of a log.
/// </para>
/// <para>Subnormal values (below 2.2e-308) take a slower branch that rescales them first, so they keep the guarantee too.</para>
/// </remarks>
internal sealed class SketchMapping
{
    private const double C1 = 10.0 / 7.0;
    private const double C2 = -3.0 / 5.0;
    private const double C3 = 6.0 / 35.0;
    private const long MantissaMask = 0x000F_FFFF_FFFF_FFFFL;
    private const long OneBits = 0x3FF0_0000_0000_0000L;

    /// <summary>The smallest and largest L a finite positive double can have (subnormals reach below −1022).</summary>
    private const double LowestL = -1075;
    private const double HighestL = 1024;

    public SketchMapping(double relativeAccuracy)
    {
        RelativeAccuracy = relativeAccuracy;
        Gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
        Multiplier = 0.7 / Math.Log(Gamma) * (1 + 1e-9);
        MinIndex = (int)Math.Floor(LowestL * Multiplier) - 1;
        MaxIndex = (int)Math.Ceiling(HighestL * Multiplier) + 1;
    }

    public double RelativeAccuracy { get; }

    public double Gamma { get; }

    /// <summary>k: buckets per unit of L (per octave).</summary>
    public double Multiplier { get; }

    /// <summary>Bounds no finite value's index can leave, so a decoder can reject impossible buckets.</summary>
    public int MinIndex { get; }

    public int MaxIndex { get; }

    /// <summary>The bucket of a finite positive value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int IndexOf(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        var exponent = (int)(bits >> 52);
        if (exponent == 0) return SubnormalIndexOf(value);
        var s = BitConverter.Int64BitsToDouble((bits & MantissaMask) | OneBits) - 1.0;
        var l = (exponent - 1023) + ((C3 * s + C2) * s + C1) * s;
        return (int)Math.Ceiling(l * Multiplier);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int SubnormalIndexOf(double value)
    {
        // 2^64 lifts every subnormal into the normal range; take the 64 back off the exponent.
        var scaled = value * 18446744073709551616.0;
        var bits = BitConverter.DoubleToInt64Bits(scaled);
        var exponent = (int)(bits >> 52);
        var s = BitConverter.Int64BitsToDouble((bits & MantissaMask) | OneBits) - 1.0;
        var l = (exponent - 1023 - 64) + ((C3 * s + C2) * s + C1) * s;
        return (int)Math.Ceiling(l * Multiplier);
    }

    /// <summary>The value every member of bucket <paramref name="index"/> is within α of (positive).</summary>
    public double ValueOf(int index)
    {
        // Harmonic mean of the bounds, computed on mantissas so neither bound over- or underflows at the ends of the
        // double range; only the result is scaled.
        var (lowerMantissa, lowerExponent) = Inverse((index - 1) / Multiplier);
        var (upperMantissa, upperExponent) = Inverse(index / Multiplier);
        var upper = Math.ScaleB(upperMantissa, upperExponent - lowerExponent);
        var value = Math.ScaleB(2 * lowerMantissa * upper / (lowerMantissa + upper), lowerExponent);
        return double.IsInfinity(value) ? double.MaxValue : value;
    }

    /// <summary>
    /// L⁻¹ as mantissa in [1, 2] and exponent: the x with L(x) = l, solving the cubic for the mantissa by Newton's method
    /// (query path only).
    /// </summary>
    private static (double Mantissa, int Exponent) Inverse(double l)
    {
        var exponent = Math.Floor(l);
        var fraction = l - exponent;
        var s = fraction;
        for (var i = 0; i < 30; i++)
        {
            var p = ((C3 * s + C2) * s + C1) * s - fraction;
            var slope = (3 * C3 * s + 2 * C2) * s + C1;
            var next = Math.Clamp(s - p / slope, 0, 1);
            if (next == s) break;
            s = next;
        }
        return (1 + s, (int)exponent);
    }
}
