namespace Aggregator.Contracts.Wire;

/// <summary>
/// The properties a wire message may have; each op accepts a subset (see <see cref="WireOps"/>). Declared in the order
/// error messages list them, which is the order of the documented shapes (name before value).
/// </summary>
[Flags]
internal enum WireProperty
{
    None = 0,
    Op = 1 << 0,
    Entry = 1 << 1,
    Operation = 1 << 2,
    Dimensions = 1 << 3,
    ForceFlushAfterMs = 1 << 4,
    MaxLifetimeMs = 1 << 5,
    Field = 1 << 6,
    Counter = 1 << 7,
    Delta = 1 << 8,
    Name = 1 << 9,
    Value = 1 << 10,
    Unit = 1 << 11,
    Slot = 1 << 12,
    Mode = 1 << 13,
    Error = 1 << 14,
    Guard = 1 << 15,
    Force = 1 << 16,
    Timer = 1 << 17,
    At = 1 << 18,
}
