using System.Globalization;
using Aggregator.Actors.Inspection;
using Spectre.Console;

namespace Aggregator.Host.Cli;

/// <summary>Renders a <see cref="ClusterView"/> as tables an operator reads top-down: node, regions and shards, top actors, warnings.</summary>
public static class ClusterTables
{
    public static void Render(IAnsiConsole console, ClusterView view)
    {
        console.Write(Node(view.Node));
        foreach (var region in view.Regions) console.Write(Region(region));
        if (view.Cluster is { } cluster)
        {
            console.Write(Members(cluster));
            console.Write(ShardOwners(cluster));
        }
        console.Write(Actors("Top actors by busy time", view.TopByBusyTime));
        console.Write(Actors("Top actors by mailbox depth", view.TopByMailboxDepth));
        if (view.Warnings.Count == 0)
        {
            console.WriteLine("Warnings: none");
            return;
        }
        var warnings = Titled(new Table(), $"Warnings ({view.Warnings.Count})").AddColumns("Kind", "Subject", "Message");
        foreach (var warning in view.Warnings) warnings.AddRow(Cell(warning.Kind), Cell(warning.Subject), Cell(warning.Message));
        console.Write(warnings);
    }

    private static Table Node(NodeView node)
    {
        var table = Titled(new Table(), $"Node {node.Name}").AddColumns("", "");
        table.ShowHeaders = false;
        Row(table, "Uptime", Seconds(node.UptimeSeconds));
        Row(table, "Window", Seconds(node.WindowSeconds));
        Row(table, "CPU", $"{Percent(node.CpuUtilization)} of {node.Processors} processors");
        Row(table, "Actor utilization", $"{Percent(node.ActorUtilization)} of {node.Processors} processors");
        Row(table, "Memory", $"{Mebibytes(node.WorkingSetBytes)} working set, {Mebibytes(node.ManagedHeapBytes)} managed heap");
        Row(table, "GC collections", string.Join(" / ", node.GcCollections.Select((count, g) => $"gen{g} {count}")));
        Row(table, "Live actors", Number(node.LiveActors));
        Row(table, "Thread pool", $"{Number(node.ThreadPoolQueueLength)} queued, {Number(node.ThreadPoolThreads)} threads");
        return table;
    }

    private static Table Members(ClusterMembersView cluster)
    {
        var table = Titled(new Table(), $"Members: {cluster.Members.Count(m => m.Reachable)} of {cluster.Members.Count} reachable, {cluster.MinShardsPerMember}–{cluster.MaxShardsPerMember} shards each")
            .AddColumns("Node", "Ordinal", "Reachable", "Last seen", "Shards", "CPU", "Memory", "Utilization", "In flight");
        foreach (var member in cluster.Members)
        {
            table.AddRow(
                Cell(member.Node),
                Cell(Number(member.Ordinal)),
                Cell(member.Reachable ? "yes" : "NO"),
                Cell(member.LastSeen.ToString("HH:mm:ss", CultureInfo.InvariantCulture)),
                Cell(string.Join(",", member.Shards)),
                Cell(member.CpuPercent.ToString("0.0", CultureInfo.InvariantCulture) + " %"),
                Cell(Mebibytes(member.MemoryBytes)),
                Cell(Percent(member.Utilization)),
                Cell(Number(member.InFlightEntries)));
        }
        return table;
    }

    private static Table ShardOwners(ClusterMembersView cluster)
    {
        var table = Titled(new Table(), "Shard queues").AddColumns("Shard", "Holder", "Ready", "Consumers");
        foreach (var shard in cluster.Shards)
        {
            table.AddRow(Cell(Number(shard.Shard)), Cell(shard.Owner ?? "NONE"), Cell(Optional(shard.QueueDepth)), Cell(Optional(shard.Consumers)));
        }
        return table;
    }

    private static Table Region(RegionView region)
    {
        var table = Titled(new Table(), $"Region {region.TypeName}: {Number(region.EntityCount)} entities in {region.Shards.Count} shards")
            .AddColumns("Shard", "Entities", "Tombstones", "Journal lag", "Dropped", "Breaker");
        foreach (var shard in region.Shards)
        {
            table.AddRow(
                Cell(Number(shard.Shard)),
                Cell(Number(shard.Entities)),
                Cell(Optional(shard.Tombstones)),
                Cell(Optional(shard.JournalLag)),
                Cell(Optional(shard.Dropped)),
                Cell(shard.Breaker ?? "-"));
        }
        return table;
    }

    private static Table Actors(string title, IReadOnlyList<ActorView> actors)
    {
        var table = Titled(new Table(), title).AddColumns("Actor", "Type", "Busy", "Utilization", "Msg/s", "Mailbox", "Peak", "Turn running");
        foreach (var actor in actors)
        {
            table.AddRow(
                Cell(actor.Path),
                Cell(actor.ActorType),
                Cell(Seconds(actor.BusySeconds)),
                Cell(Percent(actor.Utilization)),
                Cell(actor.MessagesPerSecond.ToString("0.#", CultureInfo.InvariantCulture)),
                Cell(Number(actor.MailboxDepth)),
                Cell(Number(actor.PeakMailboxDepth)),
                Cell(actor.TurnRunningSeconds is { } running ? Seconds(running) : "-"));
        }
        if (actors.Count == 0) table.AddRow(Cell("(none)"), Cell(""), Cell(""), Cell(""), Cell(""), Cell(""), Cell(""), Cell(""));
        return table;
    }

    private static Table Titled(Table table, string title)
    {
        table.Title = new TableTitle(Markup.Escape(title));
        table.Border = TableBorder.Rounded;
        return table;
    }

    private static void Row(Table table, string name, string value) => table.AddRow(Cell(name), Cell(value));

    /// <summary>Plain text, never markup: actor paths and messages may hold brackets.</summary>
    private static Text Cell(string text) => new(text);

    private static string Optional(long? value) => value is { } v ? Number(v) : "-";
    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
    private static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";
    private static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
    private static string Mebibytes(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
