using YamlDotNet.RepresentationModel;

namespace Aggregator.Host.Tests.Deployment;

/// <summary>
/// Null-tolerant navigation of parsed YAML, so a check can follow <c>spec.template.spec</c> in one expression and
/// report "missing" itself instead of a test dying on a NullReferenceException that names no manifest field.
/// </summary>
internal static class YamlNodes
{
    /// <summary>The value under <paramref name="keys"/> (one mapping level each), or null when any level is missing.</summary>
    public static YamlNode? At(this YamlNode? node, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out node)) return null;
        }
        return node;
    }

    /// <summary>The scalar text at <paramref name="keys"/>, or null.</summary>
    public static string? Text(this YamlNode? node, params string[] keys) => (node.At(keys) as YamlScalarNode)?.Value;

    /// <summary>The integer at <paramref name="keys"/>, or null when missing or not a whole number.</summary>
    public static int? Int(this YamlNode? node, params string[] keys) =>
        int.TryParse(node.Text(keys), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>The items of the sequence at <paramref name="keys"/>; empty when missing.</summary>
    public static IReadOnlyList<YamlNode> Items(this YamlNode? node, params string[] keys) =>
        node.At(keys) is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    /// <summary>The scalar entries of the mapping at <paramref name="keys"/> (labels, ConfigMap data); empty when missing.</summary>
    public static IReadOnlyDictionary<string, string> Pairs(this YamlNode? node, params string[] keys) =>
        node.At(keys) is YamlMappingNode mapping
            ? mapping.Children.Where(p => p.Key is YamlScalarNode && p.Value is YamlScalarNode)
                .ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value ?? "")
            : new Dictionary<string, string>();
}
