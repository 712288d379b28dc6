using Aggregator.Host.Cluster.State;

namespace Aggregator.Host.Cluster;

/// <summary>
/// Cluster mode: an open entry lives on the pod that holds its shard. When this pod does not hold it, the lookup asks
/// the holder (its address is in the membership table) with <c>?local=true</c>, so the question never travels further.
/// </summary>
public sealed class OwnerEntryLookup(ClusterStateStore state, ShardQueues queues, ClusterMember member, TimeProvider clock, ILogger<OwnerEntryLookup> logger)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>The holder's JSON answer for an open entry, or null when no other reachable pod holds its shard or it does not know the entry.</summary>
    public async Task<string?> AskHolderAsync(string entryId, CancellationToken cancellationToken)
    {
        var shard = queues.ShardOf(entryId);
        var now = clock.GetUtcNow();
        var holder = (await state.MembersAsync(cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(m => m.Node != member.Node && m.Shards.Contains(shard) && member.IsReachable(m.LastSeen, now));
        if (holder is null) return null;
        try
        {
            using var response = await Http.GetAsync($"{holder.Address.TrimEnd('/')}/v1/entries/{Uri.EscapeDataString(entryId)}?local=true", cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false) : null;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Could not ask {Holder} ({Address}) for open entry {EntryId} of shard {Shard}", holder.Node, holder.Address, entryId, shard);
            return null;
        }
    }
}
