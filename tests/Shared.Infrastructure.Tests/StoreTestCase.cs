using TestSupport;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Shared.Infrastructure.Tests;

/// <summary>A fact whose skip reason depends on the store its class runs against (see <see cref="CosmosStoreAttribute"/>).</summary>
public sealed class StoreTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public StoreTestCase()
    {
    }

    public StoreTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod)
    {
    }

    protected override string? GetSkipReason(IAttributeInfo factAttribute) =>
        TestMethod.TestClass.Class.GetCustomAttributes(typeof(CosmosStoreAttribute)).Any() && CosmosTestSettings.Endpoint is null
            ? "COSMOS_ENDPOINT is not set; ./test.sh starts a Cosmos server and sets it."
            : base.GetSkipReason(factAttribute);
}
