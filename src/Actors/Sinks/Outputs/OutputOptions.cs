namespace Aggregator.Actors.Sinks.Outputs;

/// <summary>The format an output writes.</summary>
public enum OutputKind
{
    /// <summary>JSON Lines: one closed entry per line, the wire shape (<see cref="JsonLinesOutput"/>).</summary>
    Jsonl,

    /// <summary>CloudWatch embedded metric format (<see cref="EmfOutput"/>).</summary>
    Emf,
}

/// <summary>Where an output's lines go.</summary>
public enum OutputTarget
{
    Stdout,
    File,
}

/// <summary>
/// One optional output as configuration describes it (the host binds a list of these from its configuration
/// section). Flat on purpose, so every setting has one configuration key; <see cref="Validate"/> names the key of
/// every bad value, so a misconfigured deployment fails at start with a message an operator can act on.
/// </summary>
public sealed record OutputOptions
{
    public OutputKind Kind { get; init; } = OutputKind.Jsonl;

    public OutputTarget Target { get; init; } = OutputTarget.Stdout;

    /// <summary>For <see cref="OutputTarget.File"/>: the directory the rotating files are written to.</summary>
    public string? Directory { get; init; }

    /// <summary>For <see cref="OutputTarget.File"/>: stem and extension of the file names; "entries.jsonl" or "entries.emf.json" when left out.</summary>
    public string? FileName { get; init; }

    /// <summary>For <see cref="OutputTarget.File"/>: rotate before a file would pass this size; null for no size limit.</summary>
    public long? MaxFileBytes { get; init; } = RotatingFileSettings.DefaultMaxFileBytes;

    /// <summary>For <see cref="OutputTarget.File"/>: also rotate at midnight UTC.</summary>
    public bool RotateDaily { get; init; } = true;

    /// <summary>For <see cref="OutputTarget.File"/>: files kept, the current one included.</summary>
    public int RetainedFiles { get; init; } = RotatingFileSettings.DefaultRetainedFiles;

    /// <summary>For <see cref="OutputTarget.File"/>: fsync every batch (see <see cref="RotatingFileSettings.FlushToDisk"/>).</summary>
    public bool FlushToDisk { get; init; }

    /// <summary>For <see cref="OutputKind.Emf"/>: the CloudWatch namespace.</summary>
    public string? Namespace { get; init; }

    /// <summary>For <see cref="OutputKind.Emf"/>: see <see cref="EmfSettings.DimensionSets"/>.</summary>
    public List<List<string>> DimensionSets { get; init; } = [];

    /// <summary>For <see cref="OutputKind.Emf"/>: see <see cref="EmfSettings.Metrics"/>; null or empty for every numeric value.</summary>
    public List<string>? Metrics { get; init; }

    /// <summary>Every problem, each naming its option under <paramref name="section"/> (e.g. "Outputs:0"); empty when valid.</summary>
    public IReadOnlyList<string> Validate(string section = "Outputs")
    {
        var prefix = section.Length == 0 ? "" : section + ":";
        var errors = new List<string>();
        if (!Enum.IsDefined(Kind)) errors.Add($"{prefix}Kind: '{Kind}' is not one of jsonl, emf");
        if (!Enum.IsDefined(Target)) errors.Add($"{prefix}Target: '{Target}' is not one of stdout, file");
        if (Target == OutputTarget.File) errors.AddRange(FileSettings().Validate(prefix));
        else if (Directory is not null) errors.Add($"{prefix}Directory: set, but Target is stdout; set Target to file or remove Directory");
        if (Kind == OutputKind.Emf) errors.AddRange(EmfSettings().Validate(prefix));
        else if (Namespace is not null || DimensionSets is { Count: > 0 } || Metrics is { Count: > 0 }) errors.Add($"{prefix}Namespace/DimensionSets/Metrics: set, but Kind is jsonl; they apply to emf only");
        return errors;
    }

    /// <summary>The file settings these options describe (valid only for <see cref="OutputTarget.File"/>).</summary>
    public RotatingFileSettings FileSettings() => new()
    {
        Directory = Directory ?? "",
        FileName = FileName ?? (Kind == OutputKind.Emf ? "entries.emf.json" : "entries.jsonl"),
        MaxFileBytes = MaxFileBytes,
        Daily = RotateDaily,
        RetainedFiles = RetainedFiles,
        FlushToDisk = FlushToDisk,
    };

    /// <summary>The EMF settings these options describe (valid only for <see cref="OutputKind.Emf"/>).</summary>
    public EmfSettings EmfSettings() => new()
    {
        Namespace = Namespace ?? "",
        DimensionSets = (DimensionSets ?? []).Select(set => (IReadOnlyList<string>)(set ?? [])).ToArray(),
        Metrics = Metrics is { Count: > 0 } ? Metrics : null,
    };
}
