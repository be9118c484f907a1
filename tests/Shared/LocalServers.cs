using System.Net;
using System.Net.Sockets;

namespace Pipeline.Tests.Shared;

/// <summary>Helpers for the real local servers tests start (Azurite, MailDev): free ports, finding programs, readiness.</summary>
internal static class LocalServers
{
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A loopback port that was free a moment ago and has not been handed out before in this process (servers started by
    /// tests running in parallel never share one; another process can still take it first, and the caller retries).
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }

    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    public static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
