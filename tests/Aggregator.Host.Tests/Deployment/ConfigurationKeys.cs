using System.Collections;
using System.Reflection;
using Aggregator.Host.Configuration;
using Aggregator.Host.Inspection;
using Aggregator.Host.Logging;

namespace Aggregator.Host.Tests.Deployment;

/// <summary>
/// Whether an environment variable names a setting the service actually reads. Configuration silently ignores a key
/// nobody binds, so a typo in a manifest (<c>Aggregator__Cluster__Shard</c>) would deploy with the default instead;
/// this walks the options classes by reflection (as the binder does: ignoring case, any key under a dictionary, an
/// index under a list), so it follows the code without a hand-kept list of keys.
/// </summary>
internal static class ConfigurationKeys
{
    /// <summary>Option classes and the sections they bind to, most specific first.</summary>
    private static readonly (string Section, Type Type)[] Sections =
    [
        (InspectionOptions.SectionName, typeof(InspectionOptions)),
        (AggregatorOptions.SectionName, typeof(AggregatorOptions)),
    ];

    /// <summary>Keys read one by one rather than bound (the logging switches), taken from the constants the code reads.</summary>
    private static readonly string[] ReadKeys = typeof(SerilogSetup)
        .GetFields(BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .Where(key => key.StartsWith(AggregatorOptions.SectionName + ":", StringComparison.Ordinal))
        .ToArray();

    /// <summary>ASP.NET Core settings a manifest may set through its <c>ASPNETCORE_</c> prefix.</summary>
    private static readonly string[] AspNetCoreKeys = ["URLS", "ENVIRONMENT"];

    /// <summary>Null when <paramref name="name"/> is a real setting or no configuration at all (<c>DOTNET_gcServer</c>); otherwise why it is wrong.</summary>
    public static string? Problem(string name)
    {
        if (name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase))
        {
            return AspNetCoreKeys.Contains(name["ASPNETCORE_".Length..], StringComparer.OrdinalIgnoreCase)
                ? null
                : $"{name}: not an ASP.NET Core setting this service uses ({string.Join(", ", AspNetCoreKeys.Select(k => "ASPNETCORE_" + k))})";
        }
        var key = name.Replace("__", ":", StringComparison.Ordinal);
        var root = key.Split(':')[0];
        if (root.Equals("Serilog", StringComparison.OrdinalIgnoreCase)) return null; // Serilog reads its whole section itself.
        if (!root.Equals(AggregatorOptions.SectionName, StringComparison.OrdinalIgnoreCase))
        {
            if (name.StartsWith(AggregatorOptions.SectionName, StringComparison.OrdinalIgnoreCase) || name.StartsWith("Serilog", StringComparison.OrdinalIgnoreCase))
                return $"{name}: separate sections with '__'";
            return name.Contains("__", StringComparison.Ordinal) ? $"{name}: '{root}' is not a configuration section of this service" : null;
        }
        if (ReadKeys.Contains(key, StringComparer.OrdinalIgnoreCase)) return null;
        var (section, type) = Sections.First(s => key.Equals(s.Section, StringComparison.OrdinalIgnoreCase)
            || key.StartsWith(s.Section + ":", StringComparison.OrdinalIgnoreCase));
        var rest = key.Length > section.Length ? key[(section.Length + 1)..].Split(':') : [];
        return Walk(type, rest) is { } problem ? $"{name}: {problem}" : null;
    }

    /// <summary>Follows <paramref name="path"/> through <paramref name="type"/>'s bindable members; null when it ends on a value.</summary>
    private static string? Walk(Type type, IReadOnlyList<string> path)
    {
        if (path.Count == 0) return IsValue(type) ? null : $"{type.Name} is a section, not a value";
        if (IsValue(type)) return $"'{path[0]}' is below a value";
        var segment = path[0];
        var rest = path.Skip(1).ToList();
        if (ElementOf(type, typeof(IDictionary<,>)) is { } valueType) return Walk(valueType, rest);
        if (ElementOf(type, typeof(IEnumerable<>)) is { } itemType)
            return int.TryParse(segment, out var index) && index >= 0 ? Walk(itemType, rest) : $"'{segment}' is not a list index of {type.Name}";
        var property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is null ? $"{type.Name} has no setting '{segment}'" : Walk(property.PropertyType, rest);
    }

    private static bool IsValue(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri);
    }

    /// <summary>For a dictionary the value type, for a list the item type (per <paramref name="generic"/>); null otherwise.</summary>
    private static Type? ElementOf(Type type, Type generic)
    {
        if (!typeof(IEnumerable).IsAssignableFrom(type)) return null;
        var match = type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic);
        return match?.GetGenericArguments()[^1];
    }
}
