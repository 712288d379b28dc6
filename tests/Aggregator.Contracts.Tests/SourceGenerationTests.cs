using System.Text.Json;
using System.Text.Json.Serialization;
using Aggregator.Contracts.Json;

namespace Aggregator.Contracts.Tests;

/// <summary>
/// Closed entries are read without reflection. This project also turns reflection off for System.Text.Json
/// (JsonSerializerIsReflectionEnabledByDefault=false), so every other test would fail if anything fell back to it.
/// Messages are not serializer types at all: the hand-written wire reader and writer are their one format.
/// </summary>
public sealed class SourceGenerationTests
{
    [Fact]
    public void Reflection_based_serialization_is_off_in_this_test_run()
    {
        Assert.False(JsonSerializer.IsReflectionEnabledByDefault);
    }

    [Fact]
    public void The_options_resolve_only_the_generated_types()
    {
        Assert.NotNull(ContractsJson.Options.GetTypeInfo(typeof(ClosedEntry)));
        Assert.Throws<NotSupportedException>(() => ContractsJson.Options.GetTypeInfo(typeof(Uri)));
    }

    [Fact]
    public void Messages_have_no_serializer_metadata_so_there_is_only_one_message_format()
    {
        Assert.Throws<NotSupportedException>(() => ContractsJson.Options.GetTypeInfo(typeof(IEntryMessage)));
        Assert.Throws<NotSupportedException>(() => ContractsJson.Options.GetTypeInfo(typeof(Set)));
        Assert.Null(ContractsJsonContext.Default.GetTypeInfo(typeof(IEntryMessage)));
    }

    [Fact]
    public void The_options_are_read_only_so_no_host_can_change_the_closed_entry_format()
    {
        Assert.True(ContractsJson.Options.IsReadOnly);
        Assert.True(ContractsJson.Options.RespectRequiredConstructorParameters);
        Assert.True(ContractsJson.Options.RespectNullableAnnotations);
        Assert.Equal(JsonIgnoreCondition.WhenWritingNull, ContractsJson.Options.DefaultIgnoreCondition);
    }
}
