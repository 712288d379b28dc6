using Aggregator.Benchmarks.CommandLine;

namespace Aggregator.Benchmarks.Load;

/// <summary>The load command's options; the defaults keep a whole run (both targets, both phases, attribution) under about two minutes.</summary>
internal sealed record LoadOptions
{
    /// <summary>Length of each measured phase (after a warm-up of a quarter of it).</summary>
    public TimeSpan Phase { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Messages/s of the paced latency phase; null is half the measured HTTP maximum.</summary>
    public double? Rate { get; init; }

    public int Producers { get; init; } = 2;

    /// <summary>Entries opened but not yet journaled, over all producers; a producer waits while more are in flight, so a rate is one the pipeline sustains.</summary>
    public int Window { get; init; } = 20_000;

    /// <summary>The client's sender loops (requests in flight); null keeps the client's default.</summary>
    public int? Senders { get; init; }

    /// <summary>The client's MaxBatchMessages; null keeps the client's default.</summary>
    public int? Batch { get; init; }

    /// <summary>One entry in this many is timed from close to persisted in the paced phase.</summary>
    public int SampleEvery { get; init; } = 50;

    public const string Usage =
        "load [--seconds N] [--rate R] [--producers P] [--window W] [--senders S] [--batch B] [--quick]\n" +
        "             the service in-process on Kestrel + SQLite, fed by AggregatorClient over HTTP: messages/s accepted, entries/s\n" +
        "             persisted, then p50/p99 close-to-persisted at R msg/s (default half the max); the same through EntryRegion\n" +
        "             in-process as the baseline; --seconds is per phase (default 8)";

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions();
        var reader = new OptionReader(args);
        while (reader.MoveNext())
        {
            switch (reader.Name)
            {
                case "--seconds": options = options with { Phase = TimeSpan.FromSeconds(reader.PositiveNumber()) }; break;
                case "--rate": options = options with { Rate = reader.PositiveNumber() }; break;
                case "--producers": options = options with { Producers = reader.PositiveInteger() }; break;
                case "--window": options = options with { Window = reader.PositiveInteger() }; break;
                case "--senders": options = options with { Senders = reader.PositiveInteger() }; break;
                case "--batch": options = options with { Batch = reader.PositiveInteger() }; break;
                case "--quick": options = options with { Phase = TimeSpan.FromSeconds(3) }; break;
                default: throw reader.Unknown();
            }
        }
        return options;
    }
}
