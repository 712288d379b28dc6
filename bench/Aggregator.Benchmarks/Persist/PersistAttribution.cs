using System.Diagnostics;
using System.Globalization;
using Aggregator.Actors.Persistence;
using Aggregator.Actors.Sinks;
using Aggregator.Actors.Sinks.Aggregates;
using Aggregator.Benchmarks.Throughput;
using Aggregator.Contracts;

namespace Aggregator.Benchmarks.Persist;

/// <summary>
/// Where a journaled entry's time goes, measured piece by piece on the same pre-built entries: the payload alone
/// (EntryCodec, what both stores write since schema version 2), the fold into partial aggregates alone, the store's append path alone (AppendAsync in the sink's
/// batch size from two threads, one persistence id each, no actors), and the actors alone (the same sink over a store
/// that keeps nothing). Compared with the full sink's CPU per entry, that says which part to make cheaper.
/// </summary>
internal static class PersistAttribution
{
    public static async Task RunAsync(IPersistTarget target, PersistOptions options, IReadOnlyList<RoundFigures> full)
    {
        var count = options.EntriesPerRound;
        var settings = new SinkSettings();
        Console.WriteLine();
        Console.WriteLine($"-- {target.Name}: attribution (each piece alone on {count:N0} pre-built entries; best of 3 for the single-thread ones) --");

        var (serializeNs, serializeBytes, payloadChars) = SingleThread(count, entry => EntryCodec.Encode(entry).Length);
        var window = new AggregateWindow(settings.Window);
        var partials = new PartialAggregates();
        var (foldNs, foldBytes, _) = SingleThread(count, entry =>
        {
            partials.Fold(entry, window);
            return 0;
        });

        QuietWait.Until(TimeSpan.FromSeconds(5));
        var append = await AppendAloneAsync(target, count, settings.BatchSize, settings.Shards).ConfigureAwait(false);

        QuietWait.Until(TimeSpan.FromSeconds(5));
        RoundFigures actors;
        await using (var sink = await SinkThroughput.StartAsync(new NullSinkStore(), settings).ConfigureAwait(false))
        {
            await sink.RunRoundAsync(W1ClosedEntries.Build(count), options.Producers, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            var entries = W1ClosedEntries.Build(count);
            var measuring = PersistRound.Start();
            var elapsed = await sink.RunRoundAsync(entries, options.Producers, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            actors = measuring.Stop(count, elapsed);
        }

        var fullCpu = PersistRun.Median(full.Select(r => r.ProcessMicrosecondsPerEntry));
        var fullMachine = PersistRun.Median(full.Select(r => r.MachineMicrosecondsPerEntry));
        var fullRate = PersistRun.Median(full.Select(r => r.Rate));
        Console.WriteLine($"{"piece",-58} {"entries/s",12} {"CPU-µs/entry",12} {"machine-µs",10} {"B/entry",8}");
        Row("full sink (median of the measured rounds)", fullRate, fullCpu, fullMachine, PersistRun.Median(full.Select(r => r.BytesPerEntry)));
        Row($"EntryCodec.Encode alone (1 thread; {payloadChars} bytes)", 1e9 / serializeNs, serializeNs / 1000, double.NaN, serializeBytes);
        Row("PartialAggregates.Fold alone (1 thread)", 1e9 / foldNs, foldNs / 1000, double.NaN, foldBytes);
        Row($"store AppendAsync alone ({settings.Shards} threads x {settings.BatchSize}-row batches)", append.Rate, append.ProcessMicrosecondsPerEntry, append.MachineMicrosecondsPerEntry, append.BytesPerEntry);
        Row("actors alone: the sink over a store that keeps nothing", actors.Rate, actors.ProcessMicrosecondsPerEntry, actors.MachineMicrosecondsPerEntry, actors.BytesPerEntry);
        var storeWithoutPayload = append.ProcessMicrosecondsPerEntry - serializeNs / 1000;
        var actorsWithoutFold = actors.ProcessMicrosecondsPerEntry - foldNs / 1000;
        var server = target.Name == "postgres" ? string.Create(CultureInfo.InvariantCulture, $"; the server adds {fullMachine - fullCpu:0.00} machine-µs/entry in the full sink") : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"split of the full sink's {fullCpu:0.00} CPU-µs/entry (this process): payload encoding {serializeNs / 1000:0.00}, store driver path without it {storeWithoutPayload:0.00}, fold {foldNs / 1000:0.00}, actors/batching without fold {actorsWithoutFold:0.00}; sum of the two runs {append.ProcessMicrosecondsPerEntry + actors.ProcessMicrosecondsPerEntry:0.00}{server}"));
        Console.Out.Flush();
    }

    private static void Row(string piece, double rate, double cpu, double machine, double bytes) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{piece,-58} {rate,12:N0} {cpu,12:0.00} {(double.IsNaN(machine) ? "-" : machine.ToString("0.00", CultureInfo.InvariantCulture)),10} {bytes,8:0}"));

    /// <summary>Best of three passes of <paramref name="work"/> over fresh entries: ns and bytes (this thread) per entry.</summary>
    private static (double Ns, double Bytes, int Last) SingleThread(int count, Func<ClosedEntry, int> work)
    {
        var best = double.MaxValue;
        double bytes = 0;
        var last = 0;
        var entries = W1ClosedEntries.Build(count);
        for (var pass = 0; pass < 4; pass++)
        {
            GC.Collect();
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            foreach (var entry in entries) last = work(entry);
            var ns = Stopwatch.GetElapsedTime(started).TotalNanoseconds / count;
            if (pass == 0) continue; // warm-up
            if (ns < best) (best, bytes) = (ns, (double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / count);
        }
        return (best, bytes, last);
    }

    /// <summary>The store's append path with no actors: one thread per shard, each appending its share in the sink's batch size.</summary>
    private static async Task<RoundFigures> AppendAloneAsync(IPersistTarget target, int count, int batchSize, int shards)
    {
        await using var store = await target.CreateStoreAsync("append_alone").ConfigureAwait(false);
        var sequence = new long[shards];
        var warmUp = Batches(W1ClosedEntries.Build(Math.Min(count, 50_000)), batchSize, sequence);
        Append(store, warmUp);
        var batches = Batches(W1ClosedEntries.Build(count), batchSize, sequence);
        var measuring = PersistRound.Start();
        var started = Stopwatch.GetTimestamp();
        Append(store, batches);
        return measuring.Stop(count, Stopwatch.GetElapsedTime(started));
    }

    private static void Append(ISinkStore store, List<JournalRow[]>[] perShard)
    {
        var threads = new ProducerThreads(perShard.Length, shard =>
        {
            foreach (var batch in perShard[shard])
            {
                var skipped = store.AppendAsync($"sink-{shard}", batch).GetAwaiter().GetResult();
                if (skipped.Count != 0) throw new MessageConservationException($"append alone: {skipped.Count} rows skipped as duplicates");
            }
        });
        threads.Release();
        threads.Join(TimeSpan.FromSeconds(120));
    }

    /// <summary>Splits entries round-robin over the shards and numbers each shard's rows on from its last sequence number.</summary>
    private static List<JournalRow[]>[] Batches(ClosedEntry[] entries, int batchSize, long[] sequence)
    {
        var shards = sequence.Length;
        var perShard = new List<JournalRow[]>[shards];
        for (var shard = 0; shard < shards; shard++)
        {
            perShard[shard] = [];
            var mine = entries.Where((_, i) => i % shards == shard).ToArray();
            var next = sequence[shard];
            for (var i = 0; i < mine.Length; i += batchSize)
                perShard[shard].Add([.. mine.Skip(i).Take(batchSize).Select(entry => new JournalRow(++next, entry))]);
            sequence[shard] = next;
        }
        return perShard;
    }
}
