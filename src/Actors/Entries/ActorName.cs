namespace Aggregator.Actors.Entries;

/// <summary>Entry ids and slot names become actor names; '/' and other reserved characters are escaped so any id is valid.</summary>
internal static class ActorName
{
    public static string For(string id) => id.Length > 0 && !id.StartsWith('$') ? Uri.EscapeDataString(id) : "%" + Uri.EscapeDataString(id);
}
