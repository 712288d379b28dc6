using Aggregator.Actors.Sinks.Aggregates;
using FsCheck;
using FsCheck.Fluent;

namespace Aggregator.Actors.Tests.Aggregates;

/// <summary>The canonical key of a dimension set: order-insensitive, collision-free, parseable.</summary>
public sealed class DimensionSetTests
{
    [Fact]
    public void The_key_is_sorted_by_name_and_ignores_insertion_order()
    {
        var one = DimensionSet.Of(new Dictionary<string, string> { ["region"] = "eu", ["AZ"] = "a", ["az"] = "b" });
        var other = DimensionSet.Of(new Dictionary<string, string> { ["az"] = "b", ["region"] = "eu", ["AZ"] = "a" });
        Assert.Equal("AZ=a;az=b;region=eu", one.Key); // ordinal: upper case first
        Assert.Equal(one, other);
        Assert.Equal("", DimensionSet.Of(new Dictionary<string, string>()).Key);
    }

    [Theory]
    [InlineData("a", "b;c=d", "a=b", "c=d")]        // a value that looks like two pairs
    [InlineData("a=b", "c", "a", "b=c")]            // the separator moved between name and value
    [InlineData("a\\", "b", "a", "\\b")]            // the escape character itself
    [InlineData("", "", "=", "")]                   // empty name and value vs "=" as a name
    public void Tricky_characters_never_make_two_sets_collide(string name1, string value1, string name2, string value2)
    {
        var first = DimensionSet.Of(new Dictionary<string, string> { [name1] = value1 });
        var second = DimensionSet.Of(new Dictionary<string, string> { [name2] = value2 });
        Assert.NotEqual(first.Key, second.Key);
        Assert.NotEqual(DimensionSet.Empty.Key, first.Key);
    }

    [Fact]
    public void Different_sets_have_different_keys_and_every_key_parses_back()
    {
        var part = Gen.Elements("", "a", "b", "=", ";", "\\", "a=b", "x;y", "\\=", "é", "a b");
        var text = Gen.Choose(0, 3).SelectMany(n => part.ListOf(n)).Select(parts => string.Concat(parts));
        var pair = from name in text from value in text select (Name: name, Value: value);
        var sets = Gen.Choose(0, 4).SelectMany(n => pair.ListOf(n))
            .Select(pairs => pairs.GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.First().Value))
            .ToArbitrary();
        var pairsOfSets = (from a in sets.Generator from b in sets.Generator select (a, b)).ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(pairsOfSets, p =>
        {
            var (a, b) = (DimensionSet.Of(p.a), DimensionSet.Of(p.b));
            var same = p.a.Count == p.b.Count && p.a.All(kv => p.b.TryGetValue(kv.Key, out var v) && v == kv.Value);
            Assert.Equal(same, a.Key == b.Key);
            Assert.True(DimensionSet.TryParse(a.Key, out var parsed));
            Assert.Equal(p.a.OrderBy(kv => kv.Key, StringComparer.Ordinal), parsed.Dimensions);
        }));
    }

    [Theory]
    [InlineData("b=1;a=2")]  // not sorted
    [InlineData("a=1;a=2")]  // a name twice
    [InlineData("a")]        // no value
    [InlineData("a=1=2")]    // unescaped separator
    [InlineData("a=1\\")]    // dangling escape
    [InlineData("\\a=1")]    // needless escape: not canonical
    public void Text_no_set_produces_does_not_parse(string key) => Assert.False(DimensionSet.TryParse(key, out _));

    [Fact]
    public void Projecting_keeps_only_the_named_dimensions_it_has()
    {
        var set = DimensionSet.Of(new Dictionary<string, string> { ["region"] = "eu", ["host"] = "h1", ["az"] = "a" });
        Assert.Equal("az=a;region=eu", set.Project(["region", "az", "missing"]).Key);
        Assert.Equal("", set.Project([]).Key);
    }
}
