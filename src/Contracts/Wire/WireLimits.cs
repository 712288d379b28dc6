namespace Aggregator.Contracts.Wire;

/// <summary>
/// Size limits on what one message may carry, so a producer's bug (a megabyte-long field name, ten thousand
/// dimensions) is refused with a message naming the field instead of becoming a column or a metric nobody can use.
/// </summary>
public sealed record WireLimits
{
    /// <summary>The defaults the service uses unless configured otherwise.</summary>
    public static WireLimits Default { get; } = new();

    /// <summary>Longest entry id, operation, field, counter, distribution, slot, guard, timer or dimension name, in characters.</summary>
    public int MaxNameLength { get; init; } = 256;

    /// <summary>Longest string field value, failSlot error or dimension value, in characters.</summary>
    public int MaxStringLength { get; init; } = 4096;

    /// <summary>Most dimensions on one entry (CloudWatch EMF allows 30 per dimension set).</summary>
    public int MaxDimensions { get; init; } = 30;

    /// <summary>Throws naming the limit when one is not positive.</summary>
    public void Validate()
    {
        if (MaxNameLength <= 0) throw new ArgumentOutOfRangeException(nameof(MaxNameLength), MaxNameLength, "MaxNameLength must be positive.");
        if (MaxStringLength <= 0) throw new ArgumentOutOfRangeException(nameof(MaxStringLength), MaxStringLength, "MaxStringLength must be positive.");
        if (MaxDimensions <= 0) throw new ArgumentOutOfRangeException(nameof(MaxDimensions), MaxDimensions, "MaxDimensions must be positive.");
    }
}
