using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Pipeline.App.Tests.Notifications;

/// <summary>
/// A real MailDev (tools/node_modules/.bin/maildev, installed by <c>npm ci</c> in tools/) on free loopback ports chosen
/// here, with its own mail folder. Received mail is read through MailDev 3's REST API (<c>GET /api/email</c>; version 3
/// moved the 1.x/2.x <c>/email</c> route under <c>/api</c>). <see cref="StopAsync"/> and <see cref="StartAsync()"/> take the
/// server down and bring it back on the same ports, to test delivery while the mail server is away.
/// </summary>
public sealed class MailDevServer : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly string _script;
    private readonly string _mailDirectory = Path.Combine(Path.GetTempPath(), $"maildev-{Guid.NewGuid():N}");
    private Process? _process;

    private MailDevServer(string script)
    {
        _script = script;
        SmtpPort = FreePort();
        WebPort = FreePort();
    }

    public int SmtpPort { get; }

    public int WebPort { get; }

    /// <summary>Why MailDev cannot run here (no node, or tools/ not installed); null when it can.</summary>
    public static string? Unavailable => FindScript() is null
        ? "MailDev is not installed: run `npm ci` in tools/ (eng/test.sh does) and make sure node is on PATH."
        : null;

    /// <summary>Starts a new MailDev; call only when <see cref="Unavailable"/> is null.</summary>
    public static async Task<MailDevServer> StartNewAsync(CancellationToken cancellationToken)
    {
        var server = new MailDevServer(FindScript() ?? throw new InvalidOperationException(Unavailable));
        await server.StartAsync(cancellationToken);
        return server;
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(_mailDirectory);
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                _script, "--smtp", $"{SmtpPort}", "--web", $"{WebPort}", "--ip", "127.0.0.1", "--web-ip", "127.0.0.1",
                "--mail-directory", _mailDirectory, "--silent",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"MailDev exited with code {_process.ExitCode} while starting (ports {SmtpPort}/{WebPort}).");
            }

            if (await IsReadyAsync(cancellationToken))
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"MailDev did not become ready on ports {SmtpPort}/{WebPort} within 30 s.");
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Every message MailDev has received, as its REST API returns them (subject, to, headers, html, text, attachments…).</summary>
    public async Task<IReadOnlyList<JsonElement>> EmailsAsync(CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{WebPort}/api/email"), cancellationToken);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(_mailDirectory))
        {
            Directory.Delete(_mailDirectory, recursive: true);
        }
    }

    private async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{WebPort}/api/email"), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            using var smtp = new TcpClient();
            await smtp.ConnectAsync(IPAddress.Loopback, SmtpPort, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or TaskCanceledException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>tools/node_modules/maildev/dist/bin/maildev.js above the test binaries, when node is on PATH.</summary>
    private static string? FindScript()
    {
        var node = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Any(dir => File.Exists(Path.Combine(dir, "node")));
        if (!node)
        {
            return null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "tools", "node_modules", "maildev", "dist", "bin", "maildev.js");
            if (File.Exists(script))
            {
                return script;
            }
        }

        return null;
    }
}
