using Xunit;
using Xunit.Sdk;

namespace Shared.Infrastructure.Tests;

/// <summary>
/// A scenario shared by both stores, written once in an abstract base class and run by one small derived class per
/// store. The derived class for Cosmos carries <see cref="CosmosStoreAttribute"/>: its cases are skipped with a reason
/// when no Cosmos server is configured (./test.sh always configures one and fails on skips), like <see cref="TestSupport.CosmosFactAttribute"/>.
/// </summary>
[XunitTestCaseDiscoverer("Shared.Infrastructure.Tests.StoreFactDiscoverer", "Shared.Infrastructure.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;
