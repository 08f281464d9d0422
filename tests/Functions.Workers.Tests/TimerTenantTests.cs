using System.Text.Json.Nodes;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Infrastructure.Tenants;
using Xunit;

namespace Functions.Workers.Tests;

/// <summary>Timer jobs walk the tenants the store holds, not the tenants of the configuration file.</summary>
public sealed class TimerTenantTests : IDisposable
{
    private readonly WorkersHost _host = new();

    [Fact]
    public async Task A_tenant_added_to_the_store_but_not_to_the_configuration_is_swept()
    {
        var alpha = _host.Tenant("alpha");
        var delta = new Tenant(TenantId.Parse("delta"), "Delta", alpha.Plans, alpha.UpgradeUrlTemplate);
        Assert.DoesNotContain(_host.Get<ConfiguredTenants>().Tenants, t => t.Id == delta.Id); // only in the store
        await _host.Get<ITenantStore>().UpsertAsync(delta, CancellationToken.None);
        var plan = delta.DefaultPlan;
        var user = UserId.New();
        var quotas = _host.Get<IQuotaStore>();
        await quotas.CreateIfMissingAsync(QuotaAccount.Open(delta.Id, user, plan.Id, plan.Allowance, _host.Clock.Now, _host.Clock.Now), CancellationToken.None);
        await quotas.TryConsumeAsync(delta.Id, user, null, _host.Clock.Now, CancellationToken.None);
        _host.Clock.Advance(TimeSpan.FromDays(32)); // past the end of any plan's period

        var (status, body) = await _host.InvokeAsync("QuotaResetSweep", WorkersHost.HostTimerPayload("QuotaResetSweep"));

        Assert.True(status == 200, body);
        var logs = JsonNode.Parse(body)!["Logs"]!.AsArray().Select(l => (string)l!).ToList();
        Assert.Contains("delta: 1 accounts rolled over", logs);
        Assert.Contains(logs, l => l.StartsWith("alpha: ", StringComparison.Ordinal));
        var archived = Assert.Single(await _host.Get<IUsageArchive>().ListAsync(delta.Id, user, CancellationToken.None));
        Assert.Equal(1, archived.Used);
    }

    public void Dispose() => _host.Dispose();
}
