using Polly.CircuitBreaker;
using Polly.Timeout;
using Shared.Infrastructure.Hosting;
using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>The one "provider unreachable" test every outbound sender maps to its try-again-later answer.</summary>
public sealed class OutboundHttpFailuresTests
{
    public static TheoryData<Exception> Unreachable => new()
    {
        new HttpRequestException("connection refused"),
        new TimeoutRejectedException(),
        new BrokenCircuitException(),
        new TaskCanceledException("the HttpClient's own timeout"),
    };

    [Theory]
    [MemberData(nameof(Unreachable))]
    public void Network_faults_timeouts_and_an_open_circuit_are_unreachable(Exception exception) =>
        Assert.True(OutboundHttpFailures.IsUnreachable(exception, CancellationToken.None));

    [Fact]
    public void The_callers_own_cancellation_is_not_a_provider_failure()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.False(OutboundHttpFailures.IsUnreachable(new OperationCanceledException(cancelled.Token), cancelled.Token));
    }

    [Fact]
    public void Other_exceptions_are_not_swallowed_as_unreachable()
    {
        Assert.False(OutboundHttpFailures.IsUnreachable(new InvalidOperationException("a bug"), CancellationToken.None));
        Assert.False(OutboundHttpFailures.IsUnreachable(new System.Text.Json.JsonException("bad body"), CancellationToken.None));
    }
}
