using System.Globalization;

namespace Aggregator.Benchmarks.Sketch;

/// <summary>How much the sketch benchmark measures: inserts per round and measured rounds.</summary>
internal sealed record SketchOptions(long Inserts = 50_000_000, int Rounds = 5)
{
    public const string Usage =
        "sketch [--inserts N] [--rounds R]\n" +
        "             DDSketch Add ns/insert and bytes/insert beside storing the value in a pre-sized double[] (median of rounds)";

    public static SketchOptions Parse(string[] args)
    {
        var options = new SketchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--inserts" => options with { Inserts = long.Parse(value, CultureInfo.InvariantCulture) },
                "--rounds" => options with { Rounds = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown sketch option '{args[i]}'"),
            };
            i++;
        }
        if (options.Inserts < SketchRun.BlockLength || options.Rounds < 1)
            throw new ArgumentException($"sketch needs --inserts ≥ {SketchRun.BlockLength} and --rounds ≥ 1");
        return options;
    }
}
