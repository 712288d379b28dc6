using System.Text;
using Aggregator.Actors.Sinks.Outputs;
using Aggregator.Testing;

namespace Aggregator.Actors.Tests.Outputs;

/// <summary>Size and daily rotation, retention, a new file per start, and a flush per batch.</summary>
public sealed class RotatingFileTargetTests : IDisposable
{
    private readonly TempDirectory directory = new();
    private readonly VirtualClock clock = new(new DateTimeOffset(2026, 11, 21, 23, 59, 0, TimeSpan.Zero));

    public void Dispose() => directory.Dispose();

    private RotatingFileTarget Start(long? maxBytes = 100, int retained = 10, bool daily = true) =>
        new(new RotatingFileSettings { Directory = directory.Path, MaxFileBytes = maxBytes, RetainedFiles = retained, Daily = daily }, clock);

    private static void Line(LineTarget target, string text) => target.Append(Encoding.UTF8.GetBytes(text));

    private string[] Files() => Directory.GetFiles(directory.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    private string Read(string file) => File.ReadAllText(Path.Combine(directory.Path, file));

    [Fact]
    public void A_file_rotates_before_a_line_would_take_it_past_the_size_limit()
    {
        using (var target = Start(maxBytes: 100))
        {
            for (var i = 0; i < 7; i++) Line(target, new string((char)('a' + i), 39)); // 40 bytes with the newline
            target.EndBatch();
        }

        Assert.Equal(["entries-20261121-0001.jsonl", "entries-20261121-0002.jsonl", "entries-20261121-0003.jsonl", "entries-20261121-0004.jsonl"], Files());
        Assert.All(Files().SkipLast(1), file => Assert.Equal(80, new FileInfo(Path.Combine(directory.Path, file)).Length));
        Assert.Equal(new string('a', 39) + "\n" + new string('b', 39) + "\n", Read(Files()[0]));
    }

    [Fact]
    public void A_line_longer_than_the_limit_gets_a_file_of_its_own()
    {
        using (var target = Start(maxBytes: 10))
        {
            Line(target, "short");
            Line(target, new string('x', 50));
            Line(target, "after");
            target.EndBatch();
        }
        Assert.Equal(["short\n", new string('x', 50) + "\n", "after\n"], Files().Select(Read));
    }

    [Fact]
    public void Only_the_newest_files_are_retained_and_foreign_files_are_left_alone()
    {
        File.WriteAllText(Path.Combine(directory.Path, "notes.txt"), "keep me");
        File.WriteAllText(Path.Combine(directory.Path, "entries-old.jsonl"), "keep me too");
        using (var target = Start(maxBytes: 10, retained: 3))
        {
            for (var i = 0; i < 8; i++) Line(target, $"line{i}xxxx");
            target.EndBatch();
        }

        var files = Files();
        Assert.Equal(["entries-20261121-0006.jsonl", "entries-20261121-0007.jsonl", "entries-20261121-0008.jsonl", "entries-old.jsonl", "notes.txt"], files);
        Assert.Equal("line7xxxx\n", Read("entries-20261121-0008.jsonl"));
    }

    [Fact]
    public void Daily_rotation_starts_a_new_file_after_midnight_utc()
    {
        using (var target = Start(maxBytes: null))
        {
            Line(target, "before");
            target.EndBatch();
            clock.Advance(TimeSpan.FromMinutes(2));
            Line(target, "after");
            target.EndBatch();
        }
        Assert.Equal(["entries-20261121-0001.jsonl", "entries-20261122-0001.jsonl"], Files());
        Assert.Equal("after\n", Read("entries-20261122-0001.jsonl"));
    }

    [Fact]
    public void Without_daily_rotation_the_file_spans_midnight()
    {
        using (var target = Start(maxBytes: null, daily: false))
        {
            Line(target, "before");
            clock.Advance(TimeSpan.FromMinutes(2));
            Line(target, "after");
        }
        Assert.Equal(["entries-20261121-0001.jsonl"], Files());
    }

    [Fact]
    public void A_new_target_never_appends_to_an_earlier_file()
    {
        using (var first = Start()) Line(first, "one");
        using (var second = Start()) Line(second, "two");
        Assert.Equal(["entries-20261121-0001.jsonl", "entries-20261121-0002.jsonl"], Files());
    }

    [Fact]
    public void Each_batch_is_readable_before_the_target_is_disposed()
    {
        using var target = Start(maxBytes: null);
        Line(target, "first");
        target.EndBatch();
        using var reader = new FileStream(target.CurrentPath!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Assert.Equal("first\n", new StreamReader(reader).ReadToEnd());
    }

    [Fact]
    public void Invalid_settings_are_refused_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentException>(() => new RotatingFileTarget(new RotatingFileSettings { Directory = directory.Path, FileName = "a/b.jsonl", MaxFileBytes = 0, RetainedFiles = 0 }));
        Assert.Contains("FileName", error.Message);
        Assert.Contains("MaxFileBytes", error.Message);
        Assert.Contains("RetainedFiles", error.Message);
    }
}
