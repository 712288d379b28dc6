using Aggregator.Actors.Persistence;
using Aggregator.Contracts;
using Aggregator.Contracts.Json;

namespace Aggregator.Actors.Tests.Persistence;

/// <summary>
/// What every <see cref="ISinkStore"/> must do, run for real against each store (a SQLite file; PostgreSQL 15 started
/// by ./scripts/test.sh). A store's test class derives from this and says how to make a fresh, empty store, how to
/// reopen it, and how to damage one journal row; every test here then runs against that store. Tests are declared
/// [StoreFact]/[StoreTheory] (plain [Fact]/[Theory] unless the derived class is marked [RequiresService], which skips
/// them when that service is absent; see ServiceFactAttribute.cs).
/// Times are whole milliseconds and ids plain lowercase ASCII, so no store's precision or collation changes an answer.
/// </summary>
public abstract class SinkStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    private ISinkStore? store;

    protected ISinkStore Store => store ?? throw new InvalidOperationException("InitializeAsync has not run");

    /// <summary>A new store over empty storage (a new file, a new schema or database).</summary>
    protected abstract Task<ISinkStore> CreateStoreAsync();

    /// <summary>A second store over the same storage, as after a process restart.</summary>
    protected abstract Task<ISinkStore> ReopenStoreAsync();

    /// <summary>
    /// Overwrites the stored payload of one journal row with bytes that are not a closed entry (raw SQL, behind the
    /// store's back), so the suite can check that replay reports the row and goes on.
    /// </summary>
    protected abstract Task CorruptPayloadAsync(string persistenceId, long sequenceNr);

    public async Task InitializeAsync()
    {
        store = await CreateStoreAsync();
        await store.InitializeAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (store is not null) await store.DisposeAsync();
        store = null;
    }

    /// <summary>Disposes the store and opens a new one over the same storage, as a process restart does.</summary>
    protected async Task RestartAsync()
    {
        await Store.DisposeAsync();
        store = null;
        store = await ReopenStoreAsync();
        await store.InitializeAsync();
    }

    // ---- journal: round trip, replay, sequence numbers ----

    [StoreFact]
    public async Task An_appended_entry_replays_exactly_with_every_field_kind()
    {
        var rich = new ClosedEntry("rich-1", "checkout",
            new Dictionary<string, string> { ["region"] = "eu-west-1", ["tier"] = "gold", ["emoji"] = "ünï 🚀" },
            new Dictionary<string, FieldValue>
            {
                ["plain"] = 12.5,
                ["whole"] = 42L,
                ["bytes"] = FieldValue.Of(1024, FieldUnit.Bytes),
                ["nan"] = FieldValue.Of(double.NaN),
                ["inf"] = FieldValue.Of(double.NegativeInfinity, FieldUnit.Percent),
                ["text"] = "hello \"world\"",
                ["empty"] = "",
                ["yes"] = true,
                ["no"] = false,
                ["took"] = TimeSpan.FromTicks(123_456_789),
                ["took.s"] = FieldValue.Of(TimeSpan.FromSeconds(1.5), FieldUnit.Seconds),
                ["at"] = new DateTimeOffset(2026, 11, 21, 11, 30, 15, 123, TimeSpan.FromHours(5.5)),
            },
            new Dictionary<string, long> { ["retries"] = 2, ["big"] = long.MaxValue, ["negative"] = -7 },
            new Dictionary<string, DistributionSummary>
            {
                ["latency"] = new(3, 6.5, 1, 3.5, FieldUnit.Milliseconds, [new(0.5, 2), new(0.99, 3.5)]),
                ["none"] = new(0, 0, 0, 0, FieldUnit.None, []),
            },
            new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.FromHours(2)), T0.AddMilliseconds(1500),
            CloseReason.TimedOut, ["guard:flush", "slot:payment"], ["slot:fraud"], 17);
        var plain = Entry("plain-1", "checkout", T0.AddSeconds(2)) with { CloseReason = CloseReason.Shutdown };

        var skipped = await Store.AppendAsync("sink-0", [new(1, rich), new(2, plain)]);

        Assert.Empty(skipped);
        var replayed = await ReplayAllAsync("sink-0");
        Assert.Equal([1L, 2L], replayed.Select(row => row.SequenceNr));
        Assert.Equal(Json(rich), Json(replayed[0].Entry));
        Assert.Equal(Json(plain), Json(replayed[1].Entry));
        Assert.Equal(Json(rich), Json((await Store.GetEntryAsync("rich-1"))!));
    }

    [StoreFact]
    public async Task An_empty_batch_is_accepted_and_writes_nothing()
    {
        Assert.Empty(await Store.AppendAsync("sink-0", []));
        Assert.Equal(0, await Store.HighestSequenceNrAsync("sink-0"));
    }

    [StoreFact]
    public async Task The_highest_sequence_number_is_zero_when_empty_and_kept_per_persistence_id()
    {
        Assert.Equal(0, await Store.HighestSequenceNrAsync("sink-0"));

        await Store.AppendAsync("sink-0", Rows(1, "a", 3));
        await Store.AppendAsync("sink-0", Rows(4, "b", 2));
        await Store.AppendAsync("sink-1", Rows(1, "c", 1));

        Assert.Equal(5, await Store.HighestSequenceNrAsync("sink-0"));
        Assert.Equal(1, await Store.HighestSequenceNrAsync("sink-1"));
        Assert.Equal(0, await Store.HighestSequenceNrAsync("sink-2"));
    }

    [StoreFact]
    public async Task Replay_returns_only_rows_after_the_sequence_number_in_order_and_only_of_its_persistence_id()
    {
        await Store.AppendAsync("sink-0", Rows(1, "a", 5));
        await Store.AppendAsync("sink-1", Rows(1, "b", 5));
        await Store.AppendAsync("sink-0", Rows(6, "c", 3));

        var replayed = await ReplayAllAsync("sink-0", afterSequenceNr: 4);

        Assert.Equal([5L, 6, 7, 8], replayed.Select(row => row.SequenceNr));
        Assert.Equal(["a-5", "c-6", "c-7", "c-8"], replayed.Select(row => row.Entry.Id));
        Assert.Empty(await ReplayAllAsync("sink-0", afterSequenceNr: 8));
        Assert.Empty(await ReplayAllAsync("sink-9"));
    }

    [StoreFact]
    public async Task The_journal_survives_a_restart()
    {
        await Store.AppendAsync("sink-0", Rows(1, "a", 3));

        await RestartAsync();

        Assert.Equal(3, await Store.HighestSequenceNrAsync("sink-0"));
        Assert.Equal(["a-1", "a-2", "a-3"], (await ReplayAllAsync("sink-0")).Select(row => row.Entry.Id));
        Assert.Empty(await Store.AppendAsync("sink-0", Rows(4, "a", 1)));
        Assert.Equal(4, await Store.HighestSequenceNrAsync("sink-0"));
    }

    [StoreFact]
    public async Task Initializing_again_keeps_the_data()
    {
        await Store.AppendAsync("sink-0", Rows(1, "a", 2));

        await Store.InitializeAsync();

        Assert.Equal(2, await Store.HighestSequenceNrAsync("sink-0"));
    }

    // ---- idempotency by entry id ----

    [StoreFact]
    public async Task A_duplicate_id_within_one_batch_is_written_once_and_reported()
    {
        var entry = Entry("dup", "checkout", T0);

        var skipped = await Store.AppendAsync("sink-0", [new(1, entry), new(2, Entry("other", "checkout", T0)), new(3, entry)]);

        Assert.Equal(["dup"], skipped);
        var replayed = await ReplayAllAsync("sink-0");
        Assert.Equal([(1L, "dup"), (2L, "other")], replayed.Select(row => (row.SequenceNr, row.Entry.Id)));
    }

    [StoreFact]
    public async Task A_batch_delivered_again_with_the_same_sequence_numbers_is_skipped_whole()
    {
        var batch = Rows(1, "a", 4);
        await Store.AppendAsync("sink-0", batch);

        var skipped = await Store.AppendAsync("sink-0", batch);

        Assert.Equal(batch.Select(row => row.Entry.Id).Order(), skipped.Order());
        Assert.Equal(4, (await ReplayAllAsync("sink-0")).Count);
    }

    [StoreFact]
    public async Task Entries_delivered_again_under_new_sequence_numbers_are_skipped_and_new_ones_kept()
    {
        await Store.AppendAsync("sink-0", Rows(1, "a", 3));

        // a-2 and a-3 come back (e.g. redelivered after a crash) beside a new entry.
        var skipped = await Store.AppendAsync("sink-0",
            [new(4, Entry("a-2", "checkout", T0)), new(5, Entry("new", "checkout", T0)), new(6, Entry("a-3", "checkout", T0))]);

        Assert.Equal(["a-2", "a-3"], skipped.Order());
        var replayed = await ReplayAllAsync("sink-0");
        Assert.Equal([(1L, "a-1"), (2L, "a-2"), (3L, "a-3"), (5L, "new")], replayed.Select(row => (row.SequenceNr, row.Entry.Id)));
        Assert.Equal(5, await Store.HighestSequenceNrAsync("sink-0"));
    }

    [StoreFact]
    public async Task An_id_stored_under_one_persistence_id_is_skipped_under_another()
    {
        await Store.AppendAsync("sink-0", Rows(1, "a", 2));

        var skipped = await Store.AppendAsync("sink-1", [new(1, Entry("a-1", "checkout", T0)), new(2, Entry("b-1", "checkout", T0))]);

        Assert.Equal(["a-1"], skipped);
        Assert.Equal(["b-1"], (await ReplayAllAsync("sink-1")).Select(row => row.Entry.Id));
        Assert.Equal(["a-1", "a-2"], (await ReplayAllAsync("sink-0")).Select(row => row.Entry.Id));
    }

    [StoreFact]
    public async Task A_different_entry_at_a_taken_sequence_number_fails_the_whole_batch()
    {
        await Store.AppendAsync("sink-0", Rows(1, "a", 2));

        await Assert.ThrowsAnyAsync<Exception>(() =>
            Store.AppendAsync("sink-0", [new(3, Entry("fresh", "checkout", T0)), new(2, Entry("clash", "checkout", T0))]));

        Assert.Equal(["a-1", "a-2"], (await ReplayAllAsync("sink-0")).Select(row => row.Entry.Id));
        Assert.Null(await Store.GetEntryAsync("fresh"));
    }

    [StoreFact]
    public async Task A_cancelled_append_writes_nothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.AppendAsync("sink-0", Rows(1, "a", 3), cancelled.Token));

        Assert.Equal(0, await Store.HighestSequenceNrAsync("sink-0"));
    }

    // ---- corrupt rows ----

    [StoreFact]
    public async Task A_corrupt_journal_row_is_reported_with_its_location_and_skipped()
    {
        await Store.AppendAsync("sink-3", Rows(1, "a", 3));
        await CorruptPayloadAsync("sink-3", 2);
        var corrupt = new List<CorruptRow>();

        var replayed = await ReplayAllAsync("sink-3", onCorrupt: corrupt.Add);

        Assert.Equal([1L, 3L], replayed.Select(row => row.SequenceNr));
        var report = Assert.Single(corrupt);
        Assert.Equal("sink-3", report.PersistenceId);
        Assert.Equal(2, report.SequenceNr);
        Assert.Contains("sink-3", report.Location, StringComparison.Ordinal);
        Assert.Contains("2", report.Location, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(report.Reason));
        // The sequence number stays taken: the shard carries on after it.
        Assert.Equal(3, await Store.HighestSequenceNrAsync("sink-3"));
    }

    // ---- snapshot and aggregates ----

    [StoreFact]
    public async Task The_snapshot_sequence_number_is_zero_until_aggregates_are_saved()
    {
        Assert.Equal(0, await Store.SnapshotSequenceNrAsync("sink-0"));

        await Store.SaveAggregatesAsync("sink-0", 0, []);
        Assert.Equal(0, await Store.SnapshotSequenceNrAsync("sink-0"));

        await Store.SaveAggregatesAsync("sink-0", 12, []);
        Assert.Equal(12, await Store.SnapshotSequenceNrAsync("sink-0"));
        Assert.Equal(0, await Store.SnapshotSequenceNrAsync("sink-1"));
    }

    [StoreFact]
    public async Task Saved_aggregates_and_their_snapshot_survive_a_restart_and_a_later_save_replaces_them()
    {
        var first = Aggregate("sink-0", "checkout", "region=eu", T0, [1, 2, 3]);
        var second = Aggregate("sink-0", "checkout", "region=us", T0, [4]);
        await Store.SaveAggregatesAsync("sink-0", 10, [first, second]);

        await RestartAsync();

        Assert.Equal(10, await Store.SnapshotSequenceNrAsync("sink-0"));
        AssertSameRows([first, second], await Store.LoadAggregatesAsync("sink-0", [first.Key, second.Key]));

        var merged = first with { State = [9, 9, 9, 9, 9] };
        var third = Aggregate("sink-0", "checkout", "region=eu", T0.AddMinutes(1), []);
        await Store.SaveAggregatesAsync("sink-0", 25, [merged, third]);

        Assert.Equal(25, await Store.SnapshotSequenceNrAsync("sink-0"));
        AssertSameRows([merged, second, third], await Store.LoadAggregatesAsync("sink-0", [first.Key, second.Key, third.Key]));
    }

    [StoreFact]
    public async Task Loading_aggregates_returns_only_the_requested_keys_that_exist_for_that_persistence_id()
    {
        var eu = Aggregate("sink-0", "checkout", "region=eu", T0, [1]);
        var us = Aggregate("sink-0", "checkout", "region=us", T0, [2]);
        var later = Aggregate("sink-0", "checkout", "region=eu", T0.AddMinutes(1), [3]);
        var search = Aggregate("sink-0", "search", "region=eu", T0, [4]);
        var otherShard = Aggregate("sink-1", "checkout", "region=us", T0.AddMinutes(2), [5]);
        await Store.SaveAggregatesAsync("sink-0", 5, [eu, us, later, search]);
        await Store.SaveAggregatesAsync("sink-1", 5, [otherShard]);

        var loaded = await Store.LoadAggregatesAsync("sink-0",
            [eu.Key, later.Key, new AggregateKey("checkout", "region=ap", T0), otherShard.Key, new AggregateKey("checkout", "region=eu", T0.AddMinutes(5))]);

        AssertSameRows([eu, later], loaded);
        Assert.Empty(await Store.LoadAggregatesAsync("sink-0", []));
        Assert.Empty(await Store.LoadAggregatesAsync("sink-7", [eu.Key]));
    }

    [StoreFact]
    public async Task Aggregates_are_found_across_persistence_ids_for_windows_starting_in_a_half_open_range()
    {
        var before = Aggregate("sink-0", "checkout", "region=eu", T0.AddMinutes(-1), [1]);
        var atFrom0 = Aggregate("sink-0", "checkout", "region=eu", T0, [2]);
        var atFrom1 = Aggregate("sink-1", "checkout", "region=eu", T0, [3]);
        var inside = Aggregate("sink-2", "checkout", "", T0.AddMinutes(1), [4]);
        var atTo = Aggregate("sink-1", "checkout", "region=eu", T0.AddMinutes(2), [5]);
        var otherOperation = Aggregate("sink-0", "search", "region=eu", T0, [6]);
        await Store.SaveAggregatesAsync("sink-0", 1, [before, atFrom0, otherOperation]);
        await Store.SaveAggregatesAsync("sink-1", 1, [atFrom1, atTo]);
        await Store.SaveAggregatesAsync("sink-2", 1, [inside]);

        AssertSameRows([atFrom0, atFrom1, inside], await Store.GetAggregatesAsync("checkout", T0, T0.AddMinutes(2)));
        AssertSameRows([before, atFrom0, atFrom1, inside, atTo], await Store.GetAggregatesAsync("checkout", T0.AddHours(-1), T0.AddHours(1)));
        AssertSameRows([otherOperation], await Store.GetAggregatesAsync("search", T0, T0.AddMinutes(2)));
        Assert.Empty(await Store.GetAggregatesAsync("checkout", T0.AddMinutes(3), T0.AddHours(1)));
        Assert.Empty(await Store.GetAggregatesAsync("unknown", T0.AddHours(-1), T0.AddHours(1)));
    }

    [StoreFact]
    public async Task An_aggregate_window_start_in_another_offset_means_the_same_instant()
    {
        var row = Aggregate("sink-0", "checkout", "region=eu", T0.ToOffset(TimeSpan.FromHours(-8)), [1]);
        await Store.SaveAggregatesAsync("sink-0", 1, [row]);

        var loaded = Assert.Single(await Store.LoadAggregatesAsync("sink-0", [new AggregateKey("checkout", "region=eu", T0)]));
        Assert.Equal(T0, loaded.Key.WindowStart);
        Assert.Single(await Store.GetAggregatesAsync("checkout", T0.ToOffset(TimeSpan.FromHours(3)), T0.AddTicks(TimeSpan.TicksPerMillisecond)));
    }

    // ---- entry queries ----

    [StoreFact]
    public async Task An_entry_is_found_by_id_whichever_persistence_id_holds_it()
    {
        await Store.AppendAsync("sink-0", Rows(1, "a", 2));
        await Store.AppendAsync("sink-5", Rows(1, "b", 2));

        Assert.Equal("b-2", (await Store.GetEntryAsync("b-2"))?.Id);
        Assert.Equal("a-1", (await Store.GetEntryAsync("a-1"))?.Id);
        Assert.Null(await Store.GetEntryAsync("missing"));
    }

    [StoreFact]
    public async Task Entries_page_in_closed_at_then_id_order_across_ties_without_gaps_or_repeats()
    {
        // 3 entries per closedAt instant, appended out of order across two shards.
        var all = new List<ClosedEntry>();
        for (var second = 0; second < 5; second++)
        {
            foreach (var suffix in new[] { "c", "a", "b" }) all.Add(Entry($"e{second}-{suffix}", "checkout", T0.AddSeconds(second)));
        }
        var shuffled = all.Select((entry, i) => (entry, i)).OrderBy(pair => pair.i * 7 % all.Count).Select(pair => pair.entry).ToList();
        await Store.AppendAsync("sink-0", shuffled.Take(8).Select((entry, i) => new JournalRow(i + 1, entry)).ToList());
        await Store.AppendAsync("sink-1", shuffled.Skip(8).Select((entry, i) => new JournalRow(i + 1, entry)).ToList());
        await Store.AppendAsync("sink-1", [new(100, Entry("other-op", "search", T0.AddSeconds(1)))]);

        var pages = new List<IReadOnlyList<ClosedEntry>>();
        string? after = null;
        do
        {
            var page = await Store.GetEntriesAsync(new EntryQuery("checkout", T0, T0.AddMinutes(1), Limit: 4, After: after));
            pages.Add(page.Entries);
            after = page.Next;
        }
        while (after is not null && pages.Count < 10);

        Assert.Equal([4, 4, 4, 3], pages.Select(page => page.Count));
        var expected = all.OrderBy(entry => entry.ClosedAt).ThenBy(entry => entry.Id, StringComparer.Ordinal).Select(entry => entry.Id);
        Assert.Equal(expected, pages.SelectMany(page => page).Select(entry => entry.Id));
    }

    [StoreFact]
    public async Task The_last_page_has_no_next_even_when_it_is_exactly_full()
    {
        await Store.AppendAsync("sink-0", Rows(1, "a", 4));

        var page = await Store.GetEntriesAsync(new EntryQuery("checkout", T0, T0.AddHours(1), Limit: 4));

        Assert.Equal(4, page.Entries.Count);
        Assert.Null(page.Next);
        var empty = await Store.GetEntriesAsync(new EntryQuery("checkout", T0.AddHours(1), T0.AddHours(2)));
        Assert.Empty(empty.Entries);
        Assert.Null(empty.Next);
    }

    [StoreFact]
    public async Task The_entry_time_range_includes_from_and_excludes_to()
    {
        var millisecond = TimeSpan.FromMilliseconds(1);
        await Store.AppendAsync("sink-0",
        [
            new(1, Entry("before", "checkout", T0 - millisecond)),
            new(2, Entry("at-from", "checkout", T0)),
            new(3, Entry("inside", "checkout", T0.AddSeconds(30))),
            new(4, Entry("last", "checkout", T0.AddMinutes(1) - millisecond)),
            new(5, Entry("at-to", "checkout", T0.AddMinutes(1))),
            new(6, Entry("other-operation", "search", T0.AddSeconds(30))),
        ]);

        var page = await Store.GetEntriesAsync(new EntryQuery("checkout", T0, T0.AddMinutes(1)));
        Assert.Equal(["at-from", "inside", "last"], page.Entries.Select(entry => entry.Id));

        // The same instants given in another offset select the same entries.
        var shifted = await Store.GetEntriesAsync(new EntryQuery("checkout", T0.ToOffset(TimeSpan.FromHours(9)), T0.AddMinutes(1).ToOffset(TimeSpan.FromHours(-3))));
        Assert.Equal(["at-from", "inside", "last"], shifted.Entries.Select(entry => entry.Id));
    }

    [StoreTheory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public async Task A_page_size_outside_1_to_1000_is_refused(int limit)
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            Store.GetEntriesAsync(new EntryQuery("checkout", T0, T0.AddHours(1), Limit: limit)));
        Assert.Contains("1000", error.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Page_sizes_of_1_and_1000_are_accepted()
    {
        await Store.AppendAsync("sink-0", Rows(1, "a", 2));

        var one = await Store.GetEntriesAsync(new EntryQuery("checkout", T0, T0.AddHours(1), Limit: 1));
        var thousand = await Store.GetEntriesAsync(new EntryQuery("checkout", T0, T0.AddHours(1), Limit: 1000));

        Assert.Equal(["a-1"], one.Entries.Select(entry => entry.Id));
        Assert.NotNull(one.Next);
        Assert.Equal(2, thousand.Entries.Count);
        Assert.Null(thousand.Next);
    }

    // ---- concurrency ----

    [StoreFact]
    public async Task Concurrent_appends_from_several_persistence_ids_lose_nothing()
    {
        const int Shards = 8, Batches = 20, BatchSize = 50;
        using var start = new ManualResetEventSlim();
        var writers = Enumerable.Range(0, Shards).Select(shard => Task.Run(async () =>
        {
            start.Wait();
            for (var batch = 0; batch < Batches; batch++)
            {
                var rows = Rows(batch * BatchSize + 1, $"s{shard}", BatchSize);
                var skipped = await Store.AppendAsync($"sink-{shard}", rows);
                Assert.Empty(skipped);
            }
        })).ToList();
        // Readers run alongside: WAL readers must not block or break the writers.
        var reader = Task.Run(async () =>
        {
            start.Wait();
            for (var i = 0; i < 20; i++) await Store.GetEntriesAsync(new EntryQuery("checkout", T0, T0.AddHours(1), Limit: 100));
        });

        start.Set();
        await Task.WhenAll([.. writers, reader]);

        for (var shard = 0; shard < Shards; shard++)
        {
            Assert.Equal(Batches * BatchSize, await Store.HighestSequenceNrAsync($"sink-{shard}"));
            var replayed = await ReplayAllAsync($"sink-{shard}");
            Assert.Equal(Enumerable.Range(1, Batches * BatchSize).Select(i => (long)i), replayed.Select(row => row.SequenceNr));
        }
    }

    // ---- helpers ----

    /// <summary>A small entry of <paramref name="operation"/> closed at <paramref name="closedAt"/>.</summary>
    protected static ClosedEntry Entry(string id, string operation, DateTimeOffset closedAt) => new(id, operation,
        new Dictionary<string, string> { ["region"] = "eu" },
        new Dictionary<string, FieldValue> { ["took"] = TimeSpan.FromMilliseconds(8), ["status"] = 200 },
        new Dictionary<string, long> { ["retries"] = 1 },
        new Dictionary<string, DistributionSummary>(),
        closedAt.AddMilliseconds(-250), closedAt, CloseReason.Completed, [], [], 1);

    /// <summary><paramref name="count"/> rows numbered from <paramref name="firstSequenceNr"/>, ids <c>prefix-seq</c>, closed a second apart from T0.</summary>
    protected static List<JournalRow> Rows(long firstSequenceNr, string prefix, int count) =>
        Enumerable.Range(0, count)
            .Select(i => firstSequenceNr + i)
            .Select(sequenceNr => new JournalRow(sequenceNr, Entry($"{prefix}-{sequenceNr}", "checkout", T0.AddSeconds(sequenceNr))))
            .ToList();

    private async Task<List<JournalRow>> ReplayAllAsync(string persistenceId, long afterSequenceNr = 0, Action<CorruptRow>? onCorrupt = null)
    {
        var rows = new List<JournalRow>();
        await foreach (var row in Store.ReplayAsync(persistenceId, afterSequenceNr,
            onCorrupt ?? (corrupt => Assert.Fail($"unexpected corrupt row at {corrupt.Location}: {corrupt.Reason}"))))
        {
            rows.Add(row);
        }
        return rows;
    }

    private static AggregateRow Aggregate(string persistenceId, string operation, string dimensionsKey, DateTimeOffset windowStart, byte[] state) =>
        new(persistenceId, new AggregateKey(operation, dimensionsKey, windowStart),
            dimensionsKey.Length == 0 ? new Dictionary<string, string>() : new Dictionary<string, string> { ["region"] = dimensionsKey.Split('=')[1], ["host"] = "h-1" },
            state);

    /// <summary>Rows compared by value, in no particular order (the contract does not fix one).</summary>
    private static void AssertSameRows(IEnumerable<AggregateRow> expected, IEnumerable<AggregateRow> actual) =>
        Assert.Equal(expected.Select(Describe).Order(StringComparer.Ordinal), actual.Select(Describe).Order(StringComparer.Ordinal));

    private static string Describe(AggregateRow row) =>
        $"{row.PersistenceId}|{row.Key.Operation}|{row.Key.DimensionsKey}|{row.Key.WindowStart.UtcTicks}|" +
        string.Join(",", row.Dimensions.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}")) +
        $"|{Convert.ToHexString(row.State)}";

    private static string Json(ClosedEntry entry) => ContractsJson.Serialize(entry);
}
