using System.Diagnostics;
using System.Globalization;
using Aggregator.Actors.Sinks;
using Aggregator.Benchmarks.Reporting;
using Aggregator.Benchmarks.Throughput;

namespace Aggregator.Benchmarks.Persist;

/// <summary>
/// The <c>persist</c> command: W1-shaped closed entries journaled per second through the real sink path
/// (<see cref="SinkRegion"/> over a SQLite or PostgreSQL store), beside single-row INSERTs into the same database
/// type in the same run. Prints a table per store, optionally the cost attribution, then one RESULT line per store
/// (SQLite first); the last line is a RESULT line.
/// </summary>
internal static class PersistRun
{
    public static async Task<int> RunAsync(PersistOptions options)
    {
        var stores = new List<string>();
        if (options.Stores.HasFlag(PersistStores.Sqlite)) stores.Add("sqlite");
        if (options.Stores.HasFlag(PersistStores.Postgres)) stores.Add("postgres");
        var budget = TimeSpan.FromSeconds(stores.Count * (options.Attribution ? 300 : 150));
        Console.WriteLine($"persist: {MachineDescription.CoresAndGc}, {options.Producers} producer threads, stores: {string.Join(", ", stores)}, run budget {budget.TotalSeconds:0} s");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sink: 1 warm-up + {options.Rounds} measured rounds x {options.EntriesPerRound:N0} entries (median reported); baseline: 1 warm-up + {options.BaselineRounds} rounds x {options.BaselineRound.TotalSeconds:0.#} s"));
        Console.WriteLine("entries: W1-shaped ClosedEntry (s0.a … s3.b: 4 numbers + 4 strings, counter n = 3, 2 dimensions, reason Completed), " +
                          "PRE-BUILT before each round's clock starts: the figures measure the sink, not entry construction");
        Console.WriteLine(SourceRevision.Describe("src/Actors/Sinks", "src/Actors/Persistence"));
        Console.WriteLine($"load average before the run: {LoadAverage.Read()}");
        Console.Out.Flush();

        using var watchdog = new Watchdog(budget);
        var results = new List<(string Store, StoreOutcome Outcome)>();
        foreach (var name in stores)
        {
            watchdog.Current = $"persist_{name}_entries_per_sec";
            try
            {
                await using IPersistTarget target = name == "sqlite" ? new SqliteTarget() : new PostgresTarget(options.PostgresConnectionString!);
                results.Add((name, await MeasureAsync(target, options).ConfigureAwait(false)));
            }
            catch (Exception exception) when (exception is RoundTimeoutException or MessageConservationException)
            {
                throw RunFailure.Exit($"persist {name}: {exception.Message}", new ResultLine($"persist_{name}_entries_per_sec", 0, "entries/s", 0));
            }
        }

        Console.WriteLine();
        foreach (var (name, outcome) in results)
        {
            // For PostgreSQL the server is one of the "other" processes, so only SQLite's share says whether the machine was quiet.
            Console.WriteLine(name == "sqlite" && outcome.OtherShare > QuietVerdict.Threshold
                ? $"WARNING: other processes took up to {outcome.OtherShare:P0} of the CPU during a sqlite sink round; re-run on a quiet machine."
                : $"{name}: other processes{(name == "postgres" ? " (the server among them)" : "")} took at most {outcome.OtherShare:P0} of the CPU during a sink round");
        }
        foreach (var (name, outcome) in results)
            Console.WriteLine(new ResultLine($"persist_{name}_entries_per_sec", outcome.Sink, "entries/s", outcome.Baseline));
        Console.Out.Flush();
        return 0;
    }

    private static async Task<StoreOutcome> MeasureAsync(IPersistTarget target, PersistOptions options)
    {
        Console.WriteLine();
        Console.WriteLine($"== {target.Name}: {target.Where} ==");
        var settings = new SinkSettings();
        var timeout = TimeSpan.FromSeconds(60);

        // The sink.
        var rows = new List<RoundFigures>();
        StoreTimings timings;
        long flushes, windowWaits;
        TimeSpan drain;
        long total = 0;
        {
            var store = new TimedSinkStore(await target.CreateStoreAsync("sink").ConfigureAwait(false));
            await using var sink = await SinkThroughput.StartAsync(store, settings).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sink settings: {settings.Shards} shards, BatchSize {settings.BatchSize}, BatchInterval {settings.BatchInterval.TotalMilliseconds:0} ms, " +
                $"AggregateFlushInterval {settings.AggregateFlushInterval.TotalSeconds:0} s, BufferCapacity {settings.BufferCapacity:N0} per shard; " +
                $"producers keep at most {sink.InFlightLimit:N0} entries told but not journaled (all shards)"));
            QuietWait.Until(TimeSpan.FromSeconds(10));
            var warmUp = W1ClosedEntries.Build(options.EntriesPerRound);
            await sink.RunRoundAsync(warmUp, options.Producers, timeout).ConfigureAwait(false);
            total += warmUp.Length;
            warmUp = null;

            var timingsBefore = store.Timings;
            var flushesBefore = sink.Snapshot().Sum(s => s.AggregateFlushes);
            for (var round = 0; round < options.Rounds; round++)
            {
                var entries = W1ClosedEntries.Build(options.EntriesPerRound);
                var measuring = PersistRound.Start();
                var elapsed = await sink.RunRoundAsync(entries, options.Producers, timeout).ConfigureAwait(false);
                rows.Add(measuring.Stop(entries.Length, elapsed));
                total += entries.Length;
            }
            timings = store.Timings - timingsBefore;
            flushes = sink.Snapshot().Sum(s => s.AggregateFlushes) - flushesBefore;
            windowWaits = sink.WindowWaits;
            drain = await sink.DrainAsync().ConfigureAwait(false);
            Verify(sink, total);
            var sample = await store.GetEntryAsync(W1ClosedEntries.LastId!).ConfigureAwait(false);
            if (!W1ClosedEntries.Matches(sample)) throw new MessageConservationException($"{target.Name}: the last entry read back from the store is not the entry written");
        }
        var stored = await target.CountJournalAsync("sink").ConfigureAwait(false);
        if (stored != total) throw new MessageConservationException($"{target.Name}: the journal holds {stored:N0} rows, {total:N0} entries were told");
        PrintSink(rows, timings, flushes, windowWaits, drain, total);

        // The baseline.
        var baselineRows = new List<RoundFigures>();
        string describe;
        {
            await using var table = await target.CreateBaselineAsync().ConfigureAwait(false);
            describe = table.Describe;
            QuietWait.Until(TimeSpan.FromSeconds(10));
            long written = 0;
            var pool = W1ClosedEntries.Build(options.EntriesPerRound);
            written += (await SingleRowBaseline.RunRoundAsync(table, pool, options.Producers, options.BaselineRound / 2, timeout).ConfigureAwait(false)).Rows;
            for (var round = 0; round < options.BaselineRounds; round++)
            {
                pool = W1ClosedEntries.Build(options.EntriesPerRound);
                var measuring = PersistRound.Start();
                var (count, elapsed) = await SingleRowBaseline.RunRoundAsync(table, pool, options.Producers, options.BaselineRound, timeout).ConfigureAwait(false);
                baselineRows.Add(measuring.Stop(count, elapsed));
                written += count;
            }
            var inTable = await table.CountAsync().ConfigureAwait(false);
            if (inTable != written) throw new MessageConservationException($"{target.Name} baseline: the table holds {inTable:N0} rows, {written:N0} inserts reported a row");
        }
        PrintBaseline(describe, baselineRows);

        var sinkRate = Median(rows.Select(r => r.Rate));
        var baselineRate = Median(baselineRows.Select(r => r.Rate));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{target.Name}: sink {sinkRate:N0} entries/s vs single-row INSERT {baselineRate:N0}/s = {sinkRate / baselineRate:0.0}x; target {(target.Name == "sqlite" ? 300_000 : 200_000):N0}/s"));
        Console.Out.Flush();

        if (options.Attribution) await PersistAttribution.RunAsync(target, options, rows).ConfigureAwait(false);
        return new StoreOutcome(sinkRate, baselineRate, rows.Max(r => r.OtherShare));
    }

    /// <summary>Nothing dropped, duplicated, failed or left buffered, and every entry told was journaled.</summary>
    private static void Verify(SinkThroughput sink, long total)
    {
        var shards = sink.Snapshot();
        var journaled = shards.Sum(s => s.Journaled);
        var dropped = shards.Sum(s => s.Dropped);
        var duplicates = shards.Sum(s => s.Duplicates);
        var failures = shards.Sum(s => s.WriteFailures);
        var buffered = shards.Sum(s => s.Buffered);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"after drain: journaled {journaled:N0} of {total:N0} told; Dropped {dropped}, Duplicates {duplicates}, WriteFailures {failures}, Buffered {buffered}, " +
            $"aggregate lag {shards.Sum(s => s.AggregateLag)} rows (per shard: {string.Join(", ", shards.Select(s => $"{s.PersistenceId} {s.Journaled:N0}"))})"));
        if (dropped != 0 || duplicates != 0 || failures != 0 || buffered != 0 || journaled != total)
            throw new MessageConservationException($"sink: journaled {journaled} of {total}, dropped {dropped}, duplicates {duplicates}, write failures {failures}, buffered {buffered}");
    }

    private static void PrintSink(List<RoundFigures> rows, StoreTimings timings, long flushes, long windowWaits, TimeSpan drain, long total)
    {
        Console.WriteLine($"{"sink round",-12} {"entries/s",12} {"entries",10} {"ms",8} {"alloc B/entry",13} {"GC 0/1/2",10} {"CPU-µs/entry",12} {"machine-µs/entry",16} {"other",6}");
        PrintRows(rows);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"journal appends in the measured rounds: {timings.Appends:N0} batches, mean {timings.MeanBatch:0} entries per batch (largest {timings.MaxBatch:N0}), " +
            $"{timings.AppendMilliseconds / Math.Max(1, timings.Appends):0.00} ms per append call, {timings.AppendMilliseconds * 1000 / Math.Max(1, timings.AppendedRows):0.00} µs per entry inside AppendAsync (wall, per shard)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"aggregate flushes in the measured rounds: {flushes} (interval 5 s per shard); load + save {timings.Loads} + {timings.Saves} calls, {timings.FlushMilliseconds:0.0} ms in total, " +
            $"{timings.FlushMilliseconds / Math.Max(1, timings.Saves):0.00} ms per flush, {timings.SavedRows} aggregate rows saved; final drain (journal + flush) {drain.TotalMilliseconds:0.0} ms"));
        Console.WriteLine($"producers found the in-flight window full {windowWaits:N0} times (1 ms sleep each); {total:N0} entries journaled in all, counted in the store after the drain");
        Console.Out.Flush();
    }

    private static void PrintBaseline(string describe, List<RoundFigures> rows)
    {
        Console.WriteLine($"baseline: {describe}, same JSON payload serialized per entry (the schema v1 row the stores wrote before EntryCodec; kept so ratios compare across versions), entries pre-built");
        Console.WriteLine($"{"baseline",-12} {"rows/s",12} {"rows",10} {"ms",8} {"alloc B/entry",13} {"GC 0/1/2",10} {"CPU-µs/entry",12} {"machine-µs/entry",16} {"other",6}");
        PrintRows(rows);
        Console.Out.Flush();
    }

    private static void PrintRows(List<RoundFigures> rows)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{i + 1,-12} {r.Rate,12:N0} {r.Entries,10:N0} {r.Elapsed.TotalMilliseconds,8:0} {r.BytesPerEntry,13:0} {$"{r.Gen0}/{r.Gen1}/{r.Gen2}",10} {r.ProcessMicrosecondsPerEntry,12:0.00} {r.MachineMicrosecondsPerEntry,16:0.00} {r.OtherShare,6:P0}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"median",-12} {Median(rows.Select(r => r.Rate)),12:N0} (min {rows.Min(r => r.Rate):N0}, max {rows.Max(r => r.Rate):N0})"));
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed record StoreOutcome(double Sink, double Baseline, double OtherShare);
}
