using System.Text.Json;
using System.Text.Json.Serialization;
using Aggregator.Contracts.Json;

namespace Aggregator.Contracts.Tests;

/// <summary>
/// The contracts are read without reflection. This project also turns reflection off for System.Text.Json
/// (JsonSerializerIsReflectionEnabledByDefault=false), so every other test would fail if anything fell back to it.
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
        Assert.NotNull(ContractsJson.Options.GetTypeInfo(typeof(IEntryMessage)));
        Assert.Throws<NotSupportedException>(() => ContractsJson.Options.GetTypeInfo(typeof(Uri)));
    }

    [Fact]
    public void The_discriminators_come_from_the_attributes_on_the_interface()
    {
        var polymorphism = ContractsJsonContext.Default.IEntryMessage.PolymorphismOptions;

        Assert.NotNull(polymorphism);
        Assert.Equal("type", polymorphism.TypeDiscriminatorPropertyName);
        Assert.Equal(16, polymorphism.DerivedTypes.Count);
        Assert.Contains(polymorphism.DerivedTypes, d => d.DerivedType == typeof(SlotObserve) && (string?)d.TypeDiscriminator == "slotObserve");
    }

    [Fact]
    public void The_options_are_read_only_so_no_host_can_change_the_wire_format()
    {
        Assert.True(ContractsJson.Options.IsReadOnly);
        Assert.True(ContractsJson.Options.RespectRequiredConstructorParameters);
        Assert.True(ContractsJson.Options.RespectNullableAnnotations);
        Assert.Equal(JsonIgnoreCondition.WhenWritingNull, ContractsJson.Options.DefaultIgnoreCondition);
    }
}
