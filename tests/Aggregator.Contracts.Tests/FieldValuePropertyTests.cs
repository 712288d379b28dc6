using System.Text.Json;
using Aggregator.Contracts.Json;
using FsCheck;
using FsCheck.Fluent;

namespace Aggregator.Contracts.Tests;

/// <summary>Any FieldValue a producer can build survives the wire bit for bit: doubles, ticks, offsets and units.</summary>
public sealed class FieldValuePropertyTests
{
    private static readonly Gen<FieldUnit> Units = Gen.Elements(Enum.GetValues<FieldUnit>());

    /// <summary>Any 64-bit pattern, so extremes (long.MinValue, every double incl. subnormals and NaN) are as likely as small ones.</summary>
    private static readonly Gen<long> AnyLong =
        from high in Gen.Choose(int.MinValue, int.MaxValue)
        from low in Gen.Choose(int.MinValue, int.MaxValue)
        select ((long)high << 32) | (uint)low;

    private static readonly Gen<long> Ticks = Gen.OneOf(AnyLong, Gen.Choose(-100_000_000, 100_000_000).Select(t => (long)t), Gen.Elements(long.MinValue, long.MaxValue, 0L));

    private static readonly Gen<double> Doubles = Gen.OneOf(
        AnyLong.Select(BitConverter.Int64BitsToDouble),
        Gen.Choose(-1_000_000, 1_000_000).Select(n => n / 64.0),
        Gen.Elements(0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, double.MaxValue, double.MinValue));

    private static readonly Gen<DateTimeOffset> Timestamps =
        from offsetMinutes in Gen.Choose(-14 * 60, 14 * 60)
        from fraction in Gen.Choose(0, 1_000_000)
        let span = DateTimeOffset.MaxValue.Ticks - DateTimeOffset.MinValue.Ticks - 2 * TimeSpan.TicksPerDay
        select new DateTimeOffset(DateTimeOffset.MinValue.Ticks + TimeSpan.TicksPerDay + (long)(span * (fraction / 1_000_000.0)) + fraction % 10_000_000, TimeSpan.FromMinutes(offsetMinutes));

    /// <summary>Well-formed UTF-16 only: System.Text.Json writes a lone surrogate as U+FFFD (and rejects one escaped), so it cannot round-trip.</summary>
    private static readonly Gen<string> Strings = ArbMap.Default.GeneratorFor<string>()
        .Where(s => s is not null && !HasLoneSurrogate(s));

    private static readonly Gen<FieldValue> Values = Gen.OneOf(
        from n in Doubles from u in Units select FieldValue.Of(n, u),
        Strings.Select(FieldValue.Of),
        Gen.Elements(true, false).Select(FieldValue.Of),
        from t in Ticks from u in Units select FieldValue.Of(TimeSpan.FromTicks(t), u),
        Timestamps.Select(FieldValue.Of));

    [Fact]
    public void Any_field_value_round_trips_exactly()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(Values.ToArbitrary(), value =>
        {
            var json = JsonSerializer.Serialize(value, ContractsJsonContext.Default.FieldValue);
            var read = JsonSerializer.Deserialize(json, ContractsJsonContext.Default.FieldValue);
            return Same.Value(value, read).Label($"{json} read back as {read}");
        }));
    }

    private static bool HasLoneSurrogate(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) i++;
            else if (char.IsSurrogate(s[i])) return true;
        }
        return false;
    }
}
