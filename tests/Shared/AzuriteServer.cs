using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Pipeline.Tests.Shared;

/// <summary>
/// A real Azurite (Blob, Queue and Table emulator) started from the repository's pinned npm install
/// (<c>tools/node_modules/.bin/azurite</c>, installed by <c>npm ci</c> in <c>tools/</c>) on free loopback ports with a
/// throw-away data folder, and stopped with its whole process tree afterwards. Use it as a class fixture
/// (<c>IClassFixture&lt;AzuriteServer&gt;</c>) and call <see cref="SkipUnlessAvailable"/> first in each test: without
/// node or the npm install the test reports as skipped with the reason, never as passed. A server that is installed but
/// fails to start fails the tests, with its output.
/// </summary>
public sealed class AzuriteServer : IAsyncLifetime
{
    /// <summary>Azurite's published well-known development account (not a secret: it is in Azurite's documentation).</summary>
    public const string AccountName = "devstoreaccount1";

    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly StringBuilder _output = new();
    private Process? _process;
    private string? _location;

    /// <summary>Why Azurite cannot run here (node or the npm install missing); null when it is running.</summary>
    public string? UnavailableReason { get; private set; }

    public int BlobPort { get; private set; }

    public int QueuePort { get; private set; }

    public int TablePort { get; private set; }

    /// <summary>A connection string with explicit endpoints for the running server's ports.</summary>
    public string ConnectionString => string.Create(
        CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};"
        + $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};"
        + $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};");

    /// <summary>Marks the calling test skipped, with the reason, when Azurite cannot run on this machine.</summary>
    public void SkipUnlessAvailable()
    {
        if (UnavailableReason is not null)
        {
            Assert.Skip(UnavailableReason);
        }
    }

    /// <summary>A fresh container-name prefix, so tests sharing this server never see each other's containers.</summary>
    public static string NewContainerPrefix() => "t" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture)[..9] + "-";

    public async ValueTask InitializeAsync()
    {
        var node = LocalServers.FindOnPath("node");
        var azurite = RepositoryPaths.Combine("tools", "node_modules", ".bin", "azurite");
        if (node is null)
        {
            UnavailableReason = "node is not installed, so Azurite cannot run (install Node.js 20 and run `npm ci` in tools/).";
            return;
        }

        if (!File.Exists(azurite))
        {
            UnavailableReason = $"Azurite is not installed at {azurite} (run `npm ci` in tools/, as eng/test.sh does).";
            return;
        }

        // A port picked free can be taken before Azurite binds it; try again with new ports rather than fail.
        for (var attempt = 1; ; attempt++)
        {
            if (await TryStartAsync(node, azurite).ConfigureAwait(false))
            {
                return;
            }

            await StopAsync().ConfigureAwait(false);
            if (attempt == 3)
            {
                throw new InvalidOperationException($"Azurite did not start after {attempt} attempts. Its output:\n{Output()}");
            }
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task<bool> TryStartAsync(string node, string azurite)
    {
        (BlobPort, QueuePort, TablePort) = (LocalServers.FreePort(), LocalServers.FreePort(), LocalServers.FreePort());
        _location = Directory.CreateTempSubdirectory("pipeline-azurite-").FullName;
        var start = new ProcessStartInfo(node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            azurite, "--skipApiVersionCheck", "--silent", "--location", _location,
            "--blobHost", "127.0.0.1", "--blobPort", Port(BlobPort),
            "--queueHost", "127.0.0.1", "--queuePort", Port(QueuePort),
            "--tableHost", "127.0.0.1", "--tablePort", Port(TablePort),
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                return false;
            }

            if (await LocalServers.AcceptsAsync(BlobPort).ConfigureAwait(false) && await LocalServers.AcceptsAsync(QueuePort).ConfigureAwait(false)
                && await LocalServers.AcceptsAsync(TablePort).ConfigureAwait(false))
            {
                return true;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        return false;
    }

    private async Task StopAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }

            _process.Dispose();
            _process = null;
        }

        if (_location is not null && Directory.Exists(_location))
        {
            Directory.Delete(_location, recursive: true);
            _location = null;
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
