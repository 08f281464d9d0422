using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Functions.Api.Tests;

/// <summary>
/// The in-memory test server has no TCP peer (its remote address is null). A test names the peer a request comes from
/// in <see cref="Header"/>; this runs before the app's own middleware (forwarded headers included), as a real
/// connection's address would. Test-only: the header means nothing to the app.
/// </summary>
public sealed class TestPeerAddress : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (IPAddress.TryParse(context.Request.Headers[Header].ToString(), out var peer))
            {
                context.Connection.RemoteIpAddress = peer;
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
