using Xunit.Abstractions;
using Xunit.Sdk;

namespace Aggregator.Actors.Tests.Persistence;

/// <summary>
/// A test that needs a service ./scripts/test.sh provides: skipped, with the reason shown, when the environment
/// variable naming the service is not set (plain `dotnet test`, AGGREGATOR_TEST_SKIP_SERVICES=1).
/// </summary>
public sealed class ServiceFactAttribute : FactAttribute
{
    public ServiceFactAttribute(string environmentVariable)
    {
        Skip = RequiresServiceAttribute.SkipReason(environmentVariable);
    }
}

/// <summary>
/// Marks a test class whose every test needs a service, including the ones it inherits from a shared suite (the store
/// contract): those are declared <see cref="StoreFactAttribute"/>/<see cref="StoreTheoryAttribute"/> in the base class,
/// and their discoverers look here on the concrete class. xunit 2 has no dynamic skip and a base class's [Fact] cannot
/// be changed per derived class, so the decision is made at discovery, where the concrete class is known.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class RequiresServiceAttribute(string environmentVariable) : Attribute
{
    public string EnvironmentVariable { get; } = environmentVariable;

    /// <summary>Why a test needing the service must be skipped now, or null when the variable is set.</summary>
    public static string? SkipReason(string environmentVariable) =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(environmentVariable))
            ? $"{environmentVariable} is not set; run ./scripts/test.sh to start the test services"
            : null;

    /// <summary>The skip reason for a test method of a class marked with this attribute; null when it may run.</summary>
    internal static string? SkipReason(ITestMethod testMethod)
    {
        var marker = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresServiceAttribute)).FirstOrDefault();
        return marker?.GetConstructorArguments().FirstOrDefault() is string variable ? SkipReason(variable) : null;
    }

    /// <summary>One skipped test case standing for the method (a theory's rows are not expanded when they cannot run).</summary>
    internal static IXunitTestCase Skipped(IMessageSink diagnosticMessageSink, ITestFrameworkDiscoveryOptions options, ITestMethod testMethod, string reason) =>
        new XunitSkippedDataRowTestCase(diagnosticMessageSink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod, reason);
}

/// <summary>A fact of a shared suite: runs like [Fact], skipped when the concrete test class's <see cref="RequiresServiceAttribute"/> service is absent.</summary>
[XunitTestCaseDiscoverer("Aggregator.Actors.Tests.Persistence.StoreFactDiscoverer", "Aggregator.Actors.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>A theory of a shared suite: runs like [Theory], skipped when the concrete test class's <see cref="RequiresServiceAttribute"/> service is absent.</summary>
[XunitTestCaseDiscoverer("Aggregator.Actors.Tests.Persistence.StoreTheoryDiscoverer", "Aggregator.Actors.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StoreTheoryAttribute : TheoryAttribute;

public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        RequiresServiceAttribute.SkipReason(testMethod) is { } reason
            ? [RequiresServiceAttribute.Skipped(DiagnosticMessageSink, discoveryOptions, testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, factAttribute);
}

public sealed class StoreTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        RequiresServiceAttribute.SkipReason(testMethod) is { } reason
            ? [RequiresServiceAttribute.Skipped(DiagnosticMessageSink, discoveryOptions, testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}
