using System.Numerics;

namespace Aggregator.Contracts.Wire;

/// <summary>
/// The ops of the wire format and, for each, the properties it requires and the ones it may add: the one table
/// both the reader's checks and its error messages come from.
/// </summary>
internal static class WireOps
{
    public const string Names = "open, set, add, observe, openSlot, completeSlot, failSlot, acquireGuard, releaseGuard, close, discard, startTimer, stopTimer";

    public static bool TryGet(string op, out WireOp shape)
    {
        shape = op switch
        {
            "set" => new(op, WireProperty.Field | WireProperty.Value, WireProperty.Unit | WireProperty.Slot),
            "add" => new(op, WireProperty.Counter | WireProperty.Delta, WireProperty.Slot),
            "observe" => new(op, WireProperty.Name | WireProperty.Value, WireProperty.Unit | WireProperty.Slot),
            "open" => new(op, WireProperty.Operation, WireProperty.Dimensions | WireProperty.ForceFlushAfterMs | WireProperty.MaxLifetimeMs),
            "close" or "discard" => new(op, WireProperty.None, WireProperty.None),
            "openSlot" => new(op, WireProperty.Slot, WireProperty.Mode),
            "completeSlot" => new(op, WireProperty.Slot, WireProperty.None),
            "failSlot" => new(op, WireProperty.Slot, WireProperty.Error),
            "acquireGuard" => new(op, WireProperty.Guard, WireProperty.Force),
            "releaseGuard" => new(op, WireProperty.Guard, WireProperty.None),
            "startTimer" or "stopTimer" => new(op, WireProperty.Timer, WireProperty.At),
            _ => default,
        };
        return shape.Name is not null;
    }
}

/// <summary>One op's shape: every message also requires "op" and "entry".</summary>
internal readonly record struct WireOp(string Name, WireProperty Required, WireProperty Optional)
{
    public WireProperty Allowed => Required | Optional | WireProperty.Op | WireProperty.Entry;

    /// <summary>"entry, field, value; optional unit, slot", for error messages.</summary>
    public string Describe()
    {
        var required = string.Join(", ", Expand(Required | WireProperty.Entry));
        var optional = Expand(Optional).ToList();
        return optional.Count == 0 ? required : $"{required}; optional {string.Join(", ", optional)}";
    }

    /// <summary>The JSON name of one property, from a table built once: the reader asks for it on every property it reads.</summary>
    public static string NameOf(WireProperty property)
    {
        var bit = BitOperations.TrailingZeroCount((uint)property);
        return property != WireProperty.None && (property & (property - 1)) == 0 && bit < PropertyNames.Length
            ? PropertyNames[bit]
            : property.ToString();
    }

    private static readonly string[] PropertyNames = Enum.GetValues<WireProperty>()
        .Where(p => p != WireProperty.None)
        .OrderBy(p => (uint)p)
        .Select(p => char.ToLowerInvariant(p.ToString()[0]) + p.ToString()[1..])
        .ToArray();

    public static IEnumerable<string> Expand(WireProperty set)
    {
        foreach (var property in Enum.GetValues<WireProperty>())
        {
            if (property != WireProperty.None && (set & property) != 0) yield return NameOf(property);
        }
    }
}
