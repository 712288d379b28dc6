using Aggregator.Actors.Kernel;
using Aggregator.Actors.Kernel.Dispatch;
using Aggregator.Actors.Kernel.Supervision;

namespace Aggregator.Actors.Sharding;

/// <summary>
/// Routes entity messages to the shard actor that owns the entity (Akka's <c>ShardRegion</c>). Routing is a pure
/// function of the entity id, so it runs on the sender's thread, as Akka's routers do, and costs one hop instead
/// of two: producer → shard → entity. The region actor behind <see cref="Path"/> only parents and supervises the
/// shards. Telling it <see cref="GetShardRegionState"/> answers the sender with a <see cref="ShardRegionState"/>.
/// </summary>
public sealed class ShardRegion : IActorRef
{
    private readonly ActorSystem system;
    private readonly IActorRef regionActor;
    private readonly IActorRef[] shards;
    private readonly IMessageExtractor extractor;

    private ShardRegion(ActorSystem system, string typeName, IActorRef regionActor, IActorRef[] shards, IMessageExtractor extractor)
    {
        this.system = system;
        TypeName = typeName;
        this.regionActor = regionActor;
        this.shards = shards;
        this.extractor = extractor;
    }

    public string TypeName { get; }
    public ActorPath Path => regionActor.Path;
    public int ShardCount => shards.Length;

    /// <summary>
    /// Starts the region actor <c>/user/{typeName}</c> and its shard actors <c>/user/{typeName}/{shardId}</c>.
    /// <paramref name="shardProps"/> builds shard <c>i</c>; the shard creates and owns its entities.
    /// </summary>
    public static ShardRegion Start(ActorSystem system, string typeName, int shardCount, Func<int, Props> shardProps, IMessageExtractor extractor)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(shardProps);
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        var region = (LocalActorRef)system.ActorOf(Props.Create<RegionActor>(), typeName);
        var shards = new IActorRef[shardCount];
        // The region's children are created here rather than in its PreStart so the routing table exists before
        // the first Tell; the kernel's child creation is safe from any thread.
        for (var i = 0; i < shardCount; i++) shards[i] = region.Cell.ActorOf(shardProps(i), i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new ShardRegion(system, typeName, region, shards, extractor);
    }

    /// <summary>The shard actor that owns <paramref name="entityId"/>.</summary>
    public IActorRef ShardFor(string entityId) => shards[extractor.ShardId(entityId)];

    /// <summary>Every shard actor, in shard id order.</summary>
    public IReadOnlyList<IActorRef> Shards => shards;

    public void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is GetShardRegionState)
        {
            _ = ReplyStateAsync(sender);
            return;
        }
        var entityId = extractor.EntityId(message);
        if (entityId is null)
        {
            system.DeadLetters.Tell(message, sender);
            return;
        }
        shards[extractor.ShardId(entityId)].Tell(extractor.EntityMessage(message), sender);
    }

    /// <summary>Every shard's live entity count, asked of the shard actors themselves.</summary>
    public async Task<ShardRegionState> GetStateAsync(TimeSpan timeout)
    {
        var states = await Task.WhenAll(shards.Select(s => s.Ask<ShardState>(GetShardState.Instance, timeout, system))).ConfigureAwait(false);
        return new ShardRegionState(TypeName, states.OrderBy(s => s.ShardId).ToList());
    }

    /// <summary>
    /// Asks every shard still running and waits for all answers: how a region drains at shutdown. A shard that already
    /// stopped (it crashed, or the system is going down another way) has nothing to answer and is left out.
    /// </summary>
    public async Task<T[]> AskRunningShardsAsync<T>(object message, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var answers = shards
            .Where(shard => shard is not InternalActorRef { IsTerminated: true })
            .Select(shard => shard.Ask<T>(message, timeout, system));
        return await Task.WhenAll(answers).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ReplyStateAsync(IActorRef? sender)
    {
        object reply;
        try
        {
            reply = await GetStateAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            reply = new Status.Failure(exception);
        }
        sender?.Tell(reply, regionActor);
    }

    public bool Equals(IActorRef? other) => other is not null && (ReferenceEquals(this, other) || regionActor.Equals(other));
    public override bool Equals(object? obj) => Equals(obj as IActorRef);
    public override int GetHashCode() => regionActor.GetHashCode();
    public override string ToString() => $"[ShardRegion {TypeName} {Path}]";

    /// <summary>Parents the shards. A shard that throws is resumed, never restarted: its entities are live state.</summary>
    private sealed class RegionActor : ActorBase
    {
        private static readonly SupervisorStrategy ResumeShards = new OneForOneStrategy(_ => Directive.Resume);

        protected override bool Receive(object message) => false;

        protected override SupervisorStrategy SupervisorStrategy() => ResumeShards;
    }
}
