using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Shared.Infrastructure.Diagnostics;
using Xunit;

namespace Functions.Api.Tests;

public sealed class ObservabilityTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task Identify_outcomes_are_counted_per_tenant_and_outcome()
    {
        var meters = api.Factory.Services.GetRequiredService<IMeterFactory>();
        var seen = new ConcurrentQueue<(string Tenant, string Outcome)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == BackendMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name == "identify.outcomes")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? tenant = null, outcome = null;
            foreach (var tag in tags)
            {
                (tenant, outcome) = tag.Key switch { "tenant" => ((string?)tag.Value, outcome), "outcome" => (tenant, (string?)tag.Value), _ => (tenant, outcome) };
            }

            for (var i = 0; i < value; i++)
            {
                seen.Enqueue((tenant!, outcome!));
            }
        });
        listener.Start();
        using var client = api.Factory.Tenant("beta");
        var extension = ApiCalls.NewExtensionId();

        for (var i = 0; i < 5; i++)
        {
            await client.IdentifyOkAsync(new { extension_id = extension, request_id = i < 4 ? $"r{i}" : "r0" });
        }

        Assert.Equal(3, seen.Count(s => s == ("beta", "allowed")));
        Assert.Equal(1, seen.Count(s => s == ("beta", "denied")));
        Assert.Equal(1, seen.Count(s => s == ("beta", "replayed")));
    }

    [Fact]
    public async Task Every_answer_carries_a_correlation_id_and_a_sane_supplied_one_is_kept()
    {
        using var client = api.Factory.Tenant("alpha");
        using var supplied = new HttpRequestMessage(HttpMethod.Get, "/api/v1/plans");
        supplied.Headers.Add(Http.CorrelationId.Header, "abc-123");
        using var hostile = new HttpRequestMessage(HttpMethod.Get, "/api/v1/plans");
        hostile.Headers.TryAddWithoutValidation(Http.CorrelationId.Header, new string('x', 500));

        using var kept = await client.SendAsync(supplied);
        using var replaced = await client.SendAsync(hostile);
        using var generated = await client.GetAsync("/api/v1/plans");

        Assert.Equal("abc-123", kept.Headers.GetValues(Http.CorrelationId.Header).Single());
        Assert.NotEqual(new string('x', 500), replaced.Headers.GetValues(Http.CorrelationId.Header).Single());
        Assert.False(string.IsNullOrEmpty(generated.Headers.GetValues(Http.CorrelationId.Header).Single()));
    }
}
