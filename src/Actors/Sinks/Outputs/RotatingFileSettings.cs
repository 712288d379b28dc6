namespace Aggregator.Actors.Sinks.Outputs;

/// <summary>
/// How a <see cref="RotatingFileTarget"/> names, rotates and prunes its files. Files are named
/// <c>{stem}-{yyyyMMdd}-{sequence}{extension}</c> from <see cref="FileName"/> (e.g. <c>entries-20261121-0003.jsonl</c>)
/// in <see cref="Directory"/>, so they sort by age and a shipper can glob them.
/// </summary>
public sealed record RotatingFileSettings
{
    /// <summary>64 MiB: large enough that rotation is rare at W1 rates, small enough for a shipper to re-read a file.</summary>
    public const long DefaultMaxFileBytes = 64L * 1024 * 1024;

    public const int DefaultRetainedFiles = 10;

    /// <summary>Created if missing.</summary>
    public required string Directory { get; init; }

    /// <summary>The name the dated, numbered file names are made from: its stem and extension, e.g. "entries.jsonl".</summary>
    public string FileName { get; init; } = "entries.jsonl";

    /// <summary>A new file starts before a line would take the current one past this size; null: no size limit. A single longer line still gets a file of its own.</summary>
    public long? MaxFileBytes { get; init; } = DefaultMaxFileBytes;

    /// <summary>A new file starts at the first write after midnight UTC.</summary>
    public bool Daily { get; init; } = true;

    /// <summary>How many files (the current one included) are kept; older ones matching the name are deleted at each rotation.</summary>
    public int RetainedFiles { get; init; } = DefaultRetainedFiles;

    /// <summary>
    /// False (the default): each batch is flushed to the operating system, which survives a crash of this process
    /// but not of the machine. True: also to the disk (fsync) per batch, at a cost of milliseconds per batch.
    /// </summary>
    public bool FlushToDisk { get; init; }

    /// <summary>Every problem, each naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate(string prefix = "")
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Directory)) errors.Add($"{prefix}Directory: required, the directory the files are written to");
        if (string.IsNullOrWhiteSpace(FileName) || FileName.IndexOfAny(['/', '\\']) >= 0 || FileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0
            || string.IsNullOrEmpty(Path.GetFileNameWithoutExtension(FileName)))
            errors.Add($"{prefix}FileName: '{FileName}' is not a plain file name such as 'entries.jsonl'");
        if (MaxFileBytes is <= 0) errors.Add($"{prefix}MaxFileBytes: {MaxFileBytes} must be positive (or left out for no size limit)");
        if (RetainedFiles < 1) errors.Add($"{prefix}RetainedFiles: {RetainedFiles} must be at least 1 (the file being written)");
        return errors;
    }
}
