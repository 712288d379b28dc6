namespace Aggregator.Actors.Kernel;

/// <summary>Where an actor lives in the hierarchy (<c>aggregator://system/user/parent/child</c>): names it in logs and inspection.</summary>
public sealed class ActorPath : IEquatable<ActorPath>
{
    private string? text;

    private ActorPath(string systemName, ActorPath? parent, string name)
    {
        SystemName = systemName;
        Parent = parent;
        Name = name;
        Depth = parent is null ? 0 : parent.Depth + 1;
    }

    public string SystemName { get; }
    public ActorPath? Parent { get; }
    public string Name { get; }
    public int Depth { get; }

    internal static ActorPath Root(string systemName) => new(systemName, null, "");

    public ActorPath Child(string name) => new(SystemName, this, name);

    /// <summary>Path elements below the root, e.g. <c>["user", "entries", "e-1"]</c>.</summary>
    public IReadOnlyList<string> Elements
    {
        get
        {
            var elements = new string[Depth];
            for (var p = this; p.Parent is not null; p = p.Parent) elements[p.Depth - 1] = p.Name;
            return elements;
        }
    }

    public override string ToString() =>
        text ??= Parent is null ? $"aggregator://{SystemName}" : $"{Parent}/{Name}";

    public bool Equals(ActorPath? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            (Depth == other.Depth && Name == other.Name && SystemName == other.SystemName && Equals(Parent, other.Parent)));

    public override bool Equals(object? obj) => Equals(obj as ActorPath);
    public override int GetHashCode() => HashCode.Combine(Name, Depth, Parent?.GetHashCode() ?? SystemName.GetHashCode());
}
