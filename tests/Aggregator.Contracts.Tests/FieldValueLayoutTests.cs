using System.Runtime.CompilerServices;

namespace Aggregator.Contracts.Tests;

/// <summary>Every entry stores one FieldValue per field and every Set carries one, so its size is part of the contract's cost.</summary>
public sealed class FieldValueLayoutTests
{
    [Fact]
    public void A_field_value_takes_24_bytes()
    {
        Assert.Equal(24, Unsafe.SizeOf<FieldValue>());
    }

    [Fact]
    public void Each_kind_reads_back_what_was_stored_and_nothing_else()
    {
        var at = new DateTimeOffset(2026, 11, 21, 10, 30, 0, TimeSpan.FromHours(-5.5));
        Assert.Equal((FieldKind.Number, -0.25, FieldUnit.Percent), (FieldValue.Of(-0.25, FieldUnit.Percent).Kind, FieldValue.Of(-0.25, FieldUnit.Percent).Number, FieldValue.Of(-0.25, FieldUnit.Percent).Unit));
        Assert.True(FieldValue.Of(true).Flag);
        Assert.Equal(0, FieldValue.Of(true).Number);
        Assert.Equal(TimeSpan.FromTicks(12_345), FieldValue.Of(TimeSpan.FromTicks(12_345)).Duration);
        Assert.Equal(at, FieldValue.Of(at).Timestamp);
        Assert.Equal(at.Offset, FieldValue.Of(at).Timestamp.Offset);
        Assert.Equal(default, FieldValue.Of(at).Duration);
        Assert.Equal(FieldValue.Of(double.NaN), FieldValue.Of(BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0001)));
    }
}
