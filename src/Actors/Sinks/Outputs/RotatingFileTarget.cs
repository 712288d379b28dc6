using System.Globalization;
using System.Text.RegularExpressions;

namespace Aggregator.Actors.Sinks.Outputs;

/// <summary>
/// Lines to numbered files that rotate by size and/or by UTC day and are pruned to the newest N.
/// Plain <see cref="FileStream"/> rather than Serilog.Sinks.File: that sink formats log events, flushes on its own
/// schedule and names rolled files itself, while this output needs bytes written as given, a flush per batch and
/// file names that sort by age for retention and shippers — about a hundred lines of code here.
/// Each process start opens a new file (the next sequence number of the day) instead of appending, so a line
/// half-written by a crash is never continued by the next run.
/// </summary>
public sealed class RotatingFileTarget : LineTarget
{
    private readonly RotatingFileSettings settings;
    private readonly TimeProvider time;
    private readonly string stem;
    private readonly string extension;
    private readonly Regex namePattern;
    private FileStream? stream;
    private DateOnly day;
    private int sequence;

    public RotatingFileTarget(RotatingFileSettings settings, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = settings.Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid rotating file settings: " + string.Join("; ", errors), nameof(settings));
        this.settings = settings;
        this.time = time ?? TimeProvider.System;
        stem = Path.GetFileNameWithoutExtension(settings.FileName);
        extension = Path.GetExtension(settings.FileName);
        namePattern = new Regex($"^{Regex.Escape(stem)}-(\\d{{8}})-(\\d+){Regex.Escape(extension)}$", RegexOptions.CultureInvariant);
        System.IO.Directory.CreateDirectory(settings.Directory);
    }

    public override string Kind => "file";

    /// <summary>The file being written, or null before the first line.</summary>
    public string? CurrentPath => stream?.Name;

    public override void Append(ReadOnlySpan<byte> utf8Line)
    {
        var file = FileFor(utf8Line.Length + 1);
        file.Write(utf8Line);
        file.WriteByte((byte)'\n');
    }

    public override void EndBatch() => stream?.Flush(settings.FlushToDisk);

    protected override void Dispose(bool disposing)
    {
        if (disposing) Close();
    }

    private FileStream FileFor(int lineBytes)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (stream is not null && ((settings.Daily && today != day) || (stream.Length > 0 && stream.Length + lineBytes > settings.MaxFileBytes)))
            Close();
        return stream ?? Open(today);
    }

    private FileStream Open(DateOnly today)
    {
        sequence = today == day && sequence > 0 ? sequence + 1 : NextSequence(today);
        day = today;
        while (true)
        {
            var path = Path.Combine(settings.Directory, $"{stem}-{today.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-{sequence:D4}{extension}");
            try
            {
                // Shared for reading and deletion so shippers can tail it and retention elsewhere cannot wedge it.
                stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 64 * 1024);
                break;
            }
            catch (IOException) when (File.Exists(path))
            {
                sequence++; // another writer (or a previous instance) took the name: never append to its file
            }
        }
        Prune();
        return stream;
    }

    private void Close()
    {
        if (stream is null) return;
        stream.Flush(settings.FlushToDisk);
        stream.Dispose();
        stream = null;
    }

    private int NextSequence(DateOnly today)
    {
        var last = 0;
        foreach (var (fileDay, fileSequence, _) in ExistingFiles())
            if (fileDay == today) last = Math.Max(last, fileSequence);
        return last + 1;
    }

    /// <summary>Deletes the oldest files beyond the retained count; one that cannot be deleted now is left for the next rotation.</summary>
    private void Prune()
    {
        var files = ExistingFiles();
        files.Sort((a, b) => a.Day != b.Day ? a.Day.CompareTo(b.Day) : a.Sequence.CompareTo(b.Sequence));
        for (var i = 0; i < files.Count - settings.RetainedFiles; i++)
        {
            if (stream is not null && string.Equals(Path.GetFullPath(files[i].Path), stream.Name, StringComparison.Ordinal)) continue;
            try
            {
                File.Delete(files[i].Path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private List<(DateOnly Day, int Sequence, string Path)> ExistingFiles()
    {
        var files = new List<(DateOnly, int, string)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(settings.Directory))
        {
            var match = namePattern.Match(Path.GetFileName(path));
            if (!match.Success) continue;
            if (!DateOnly.TryParseExact(match.Groups[1].Value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var fileDay)) continue;
            if (!int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var fileSequence)) continue;
            files.Add((fileDay, fileSequence, path));
        }
        return files;
    }
}
