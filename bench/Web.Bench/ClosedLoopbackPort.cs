using System.Net;
using System.Net.Sockets;

namespace Superbridge.Bench.Web;

/// <summary>A loopback port nothing listens on: connecting to it on any 127.0.0.x is refused at once.</summary>
public static class ClosedLoopbackPort
{
    public static int Find()
    {
        // The kernel hands out a free port; once the listener stops, nothing listens there (on 127.0.0.x either,
        // unless a wildcard listener takes it in between, which on a loopback-only bench is vanishingly rare).
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
