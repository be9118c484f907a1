using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Pipeline.Tests.Shared;

/// <summary>
/// A real MailDev (<c>tools/node_modules/maildev</c>, installed by <c>npm ci</c> in tools/) on free loopback ports with
/// its own mail folder. Received mail is read through MailDev 3's REST API, <c>GET /api/email</c> (version 3 moved the
/// older <c>/email</c> route under <c>/api</c>). <see cref="StopAsync"/> then <see cref="StartAsync"/> take the server down
/// and bring it back on the same ports, to test delivery while the mail server is away. Without node or the npm install
/// <see cref="Unavailable"/> says why, and tests call <c>Assert.Skip</c> with it.
/// </summary>
public sealed class MailDevServer : IAsyncDisposable
{
    // No pooled connections: tests start and stop MailDev instances on ports the next one may reuse, and a kept-alive
    // connection to a stopped instance fails its next read ("The read operation failed").
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly string _node;
    private readonly string _script;
    private readonly IReadOnlyList<string> _extraArguments;
    private readonly string _mailDirectory = Directory.CreateTempSubdirectory("pipeline-maildev-").FullName;
    private Process? _process;

    private MailDevServer(string node, string script, IReadOnlyList<string> extraArguments)
    {
        (_node, _script, _extraArguments) = (node, script, extraArguments);
        (SmtpPort, WebPort) = (LocalServers.FreePort(), LocalServers.FreePort());
    }

    public int SmtpPort { get; }

    public int WebPort { get; }

    private static string Script => RepositoryPaths.Combine("tools", "node_modules", "maildev", "dist", "bin", "maildev.js");

    /// <summary>Why MailDev cannot run here; null when it can.</summary>
    public static string? Unavailable =>
        LocalServers.FindOnPath("node") is null ? "node is not installed, so MailDev cannot run (install Node.js 20 and run `npm ci` in tools/)."
        : !File.Exists(Script) ? $"MailDev is not installed at {Script} (run `npm ci` in tools/, as eng/test.sh does)."
        : null;

    /// <summary>Starts a new MailDev (call only when <see cref="Unavailable"/> is null). Extra arguments, e.g. <c>--incoming-user</c>, are passed on.</summary>
    public static async Task<MailDevServer> StartNewAsync(CancellationToken cancellationToken, params string[] extraArguments)
    {
        // A port that was free when chosen can be taken by another process before MailDev binds it (another test run on the
        // machine): MailDev then exits, possibly after another server answered the readiness probe. Start again on new ports.
        for (var attempt = 1; ; attempt++)
        {
            var server = new MailDevServer(LocalServers.FindOnPath("node")!, Script, extraArguments);
            try
            {
                await server.StartAsync(cancellationToken).ConfigureAwait(false);
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_node) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            _script, "--smtp", Port(SmtpPort), "--web", Port(WebPort), "--ip", "127.0.0.1", "--web-ip", "127.0.0.1",
            "--mail-directory", _mailDirectory, "--silent",
        }.Concat(_extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"MailDev exited with code {_process.ExitCode} while starting on ports {SmtpPort}/{WebPort}.");
            }

            if (await LocalServers.AcceptsAsync(SmtpPort).ConfigureAwait(false) && await LocalServers.AcceptsAsync(WebPort).ConfigureAwait(false))
            {
                // Still running a moment later: the ports are this MailDev's (one that lost a port exits at once).
                await Task.Delay(300, cancellationToken).ConfigureAwait(false);
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"MailDev exited with code {_process.ExitCode} just after starting on ports {SmtpPort}/{WebPort} (a port was taken).");
                }

                return;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"MailDev did not accept connections on ports {SmtpPort}/{WebPort} within {StartTimeout.TotalSeconds} s.");
    }

    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }

            process.Dispose();
            _process = null;
        }
    }

    /// <summary>Every message MailDev has received, as its REST API returns them (subject, to, headers, html, text, attachments…).</summary>
    public async Task<IReadOnlyList<JsonElement>> EmailsAsync(CancellationToken cancellationToken)
    {
        var uri = new Uri($"http://127.0.0.1:{Port(WebPort)}/api/email");
        string json;
        try
        {
            json = await Http.GetStringAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // One more try on a new connection: a read is idempotent, and a busy machine can drop the first.
            json = await Http.GetStringAsync(uri, cancellationToken).ConfigureAwait(false);
        }

        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (Directory.Exists(_mailDirectory))
        {
            Directory.Delete(_mailDirectory, recursive: true);
        }
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
