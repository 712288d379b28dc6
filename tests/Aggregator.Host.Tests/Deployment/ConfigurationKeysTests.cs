namespace Aggregator.Host.Tests.Deployment;

public sealed class ConfigurationKeysTests
{
    [Theory]
    [InlineData("Aggregator__Mode")]
    [InlineData("aggregator__cluster__rabbitmquri")]
    [InlineData("Aggregator__Cluster__Ordinal")]
    [InlineData("Aggregator__Sinks__OverflowPolicy")]
    [InlineData("Aggregator__GlobalDimensions__version")]
    [InlineData("Aggregator__Outputs__0__Kind")]
    [InlineData("Aggregator__Http__MaxRequestBytes")]
    [InlineData("Aggregator__Inspection__NodeName")]
    [InlineData("Aggregator__Logging__Format")]
    [InlineData("Serilog__MinimumLevel__Override__Aggregator.Host.Requests")]
    [InlineData("ASPNETCORE_URLS")]
    [InlineData("DOTNET_gcServer")]
    public void A_real_setting_is_accepted(string name) => Assert.Null(ConfigurationKeys.Problem(name));

    [Theory]
    [InlineData("Aggregator__Cluster__Nodez")]
    [InlineData("Aggregator__Cluster")]
    [InlineData("Aggregator__Mode__Value")]
    [InlineData("Aggregator__Outputs__first__Kind")]
    [InlineData("Aggregator__Logging__Level")]
    [InlineData("Aggregator_Mode")]
    [InlineData("Aggregatr__Mode")]
    [InlineData("ASPNETCORE_HTTP_PORT")]
    public void A_setting_the_service_does_not_read_is_refused(string name) => Assert.NotNull(ConfigurationKeys.Problem(name));
}
