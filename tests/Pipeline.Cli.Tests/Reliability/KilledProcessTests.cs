using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using Pipeline.Cli.Tests.Commands;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Tests.Shared;

namespace Pipeline.Cli.Tests.Reliability;

/// <summary>
/// The real <c>pipeline</c> process killed at each processing step (the <c>PIPELINE_FAULT_AT</c> test hook: FailFast, or a hang
/// followed by SIGKILL from here), then restarted with <c>ingest</c> or <c>watch</c>: the data directory ends exactly as after an
/// uninterrupted run (SQL rows without timings, Parquet read back, originals and receipts byte for byte).
/// </summary>
public sealed class KilledProcessTests(KilledProcessTests.UninterruptedRun reference) : IClassFixture<KilledProcessTests.UninterruptedRun>, IDisposable
{
    private static readonly Period October = new(2026, 10);
    private readonly string _work = Directory.CreateTempSubdirectory("pipeline-kill-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("received@3", false, "ingest")]
    [InlineData("validated@2", false, "ingest")]
    [InlineData("receipt-written@3", false, "ingest")]
    [InlineData("lake-written@2", true, "ingest")]
    [InlineData("lake-written@3", false, "watch")]
    [InlineData("load-uncommitted@2", true, "watch")]
    [InlineData("load-uncommitted@4", false, "ingest")]
    [InlineData("loaded@2", false, "watch")]
    public async Task Process_killed_at_a_step_then_restarted_ends_as_an_uninterrupted_run(string faultAt, bool killFromOutside, string restartWith)
    {
        var batch = WriteBatch(Path.Combine(_work, "batch"));
        var crashing = new PipelineProcess(_work);
        crashing.Environment["PIPELINE_FAULT_AT"] = faultAt + (killFromOutside ? ":hang" : string.Empty);
        // One file at a time, so the fault stops the run exactly at its step. With two workers (ingest's default on this
        // machine) another file's lake write can be cut mid-way, leaving a hidden .partial file no reader takes for data;
        // that case is in docs/reliability.md.
        crashing.Environment["Pipeline__Drop__Workers"] = "1";

        var (exitCode, error) = killFromOutside
            ? await RunUntilHangThenKillAsync(crashing, "ingest", batch, "--data-dir", "data")
            : await RunAsync(crashing, "ingest", batch, "--data-dir", "data");

        Assert.DoesNotContain(exitCode, new[] { 0, 1, 2 });
        Assert.Contains($"fault point '{faultAt.Split('@')[0]}' reached", error, StringComparison.Ordinal);
        Assert.NotEqual(reference.Snapshot, await DataDirectorySnapshot.TakeAsync(Path.Combine(_work, "data")));

        if (restartWith == "ingest")
        {
            var (restartCode, _, restartError) = await new PipelineProcess(_work).RunAsync("ingest", batch, "--data-dir", "data");
            Assert.True(restartCode == 1, restartError); // 1: the batch holds one rejected file, as in the uninterrupted run
        }
        else
        {
            await WatchUntilSettledAsync(new PipelineProcess(_work), batch);
        }

        Assert.Equal(reference.Snapshot, await DataDirectorySnapshot.TakeAsync(Path.Combine(_work, "data")));
    }

    [Fact]
    public async Task Database_locked_by_another_connection_delays_the_files_and_loses_none()
    {
        var drop = Directory.CreateDirectory(Path.Combine(_work, "drop")).FullName;
        var pipeline = new PipelineProcess(_work);
        pipeline.Environment["Pipeline__Store__BusyTimeoutSeconds"] = "1";
        Assert.Equal(0, (await pipeline.RunAsync("migrate", "--data-dir", "data")).ExitCode);

        using var watch = StartWatch(pipeline, drop, out var output, out var errors);

        using var killer = PipelineProcess.KillOnDispose(watch);
        await WaitForAsync(() => output.ToString().Contains("Watching", StringComparison.Ordinal), "watch to start");
        using (var holder = new SqliteConnection($"Data Source={Path.Combine(_work, "data", "pipeline.db")};Pooling=False"))
        {
            await holder.OpenAsync(Ct);
            using var exclusive = holder.CreateCommand();
            exclusive.CommandText = "begin exclusive; insert into pipeline_setting (name, value) select 'lock-holder', 'x' where 0;";
            await exclusive.ExecuteNonQueryAsync(Ct);

            WriteBatch(drop);
            await WaitForAsync(() => errors.ToString().Contains("the SQL store failed", StringComparison.Ordinal), "a poll to fail on the lock");
            Assert.Equal(0, CountSettled(Path.Combine(_work, "data")));

            exclusive.CommandText = "rollback;";
            await exclusive.ExecuteNonQueryAsync(Ct);
        }

        await WaitForAsync(() => CountSettled(Path.Combine(_work, "data")) == BatchSize, "every file to settle after the lock is released");
        watch.Kill(entireProcessTree: true);
        await PipelineProcess.WaitOrKillAsync(watch, PipelineProcess.StopLimit, "watch after SIGKILL");
        Assert.Equal(reference.Snapshot, await DataDirectorySnapshot.TakeAsync(Path.Combine(_work, "data")));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
    }

    private const int BatchSize = 6;

    /// <summary>Two versions for R0A's month (the later wins), one rejected file, three other trusts: six files, in ingest order.</summary>
    private static string WriteBatch(string folder)
    {
        var others = ReferenceData.Embedded.TrustsActiveIn(October).Select(t => t.Code).Where(c => c != "R0A").Order(StringComparer.Ordinal).Take(3).ToList();
        Write(folder, "R0A", "a.json", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, seed: 1)));
        Write(folder, "R0A", "b.json", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, seed: 2)));
        Write(folder, "R0A", "c-bad.json", Encoding.UTF8.GetBytes("""{"schema_version":"1.0","organisation_code":"R0A","reporting_period":"2026-10","measures":[{"indicator_code":"NOPE"}]}"""));
        for (var i = 0; i < others.Count; i++)
        {
            Write(folder, others[i], "equity.json", SampleSubmissions.ToJson(SampleSubmissions.Typical(others[i], October, seed: 10 + i)));
        }

        return folder;
    }

    private static void Write(string folder, string organisation, string name, byte[] content)
    {
        var directory = Directory.CreateDirectory(Path.Combine(folder, organisation, October.ToString())).FullName;
        File.WriteAllBytes(Path.Combine(directory, name), content);
    }

    private static async Task<(int ExitCode, string Error)> RunAsync(PipelineProcess pipeline, params string[] args)
    {
        var (code, _, error) = await pipeline.RunAsync(args);
        return (code, error);
    }

    // The hook prints its line and blocks; SIGKILL (Process.Kill) then ends it with no chance to clean up, exactly like kill -9.
    private static async Task<(int ExitCode, string Error)> RunUntilHangThenKillAsync(PipelineProcess pipeline, params string[] args)
    {
        using var process = pipeline.Start(args);
        using var killer = PipelineProcess.KillOnDispose(process);
        _ = process.StandardOutput.ReadToEndAsync(Ct);
        var error = new StringBuilder();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        try
        {
            while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
            {
                error.AppendLine(line);
                if (line.Contains("hanging until killed", StringComparison.Ordinal))
                {
                    process.Kill(entireProcessTree: true);
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the ingest never reached its hanging step within 120 s; output was:{Environment.NewLine}{error}");
        }

        await PipelineProcess.WaitOrKillAsync(process, PipelineProcess.RunLimit, "the hanging ingest");
        return (process.ExitCode, error.ToString());
    }

    private static async Task WatchUntilSettledAsync(PipelineProcess pipeline, string drop)
    {
        using var watch = StartWatch(pipeline, drop, out _, out _);
        using var killer = PipelineProcess.KillOnDispose(watch);
        var data = Path.Combine(Path.GetDirectoryName(drop)!, "data");
        await WaitForAsync(() => CountSettled(data) == BatchSize, "watch to settle every file");
        watch.Kill(entireProcessTree: true);
        await PipelineProcess.WaitOrKillAsync(watch, PipelineProcess.StopLimit, "watch after SIGKILL");
    }

    private static Process StartWatch(PipelineProcess pipeline, string drop, out StringBuilder output, out StringBuilder errors)
    {
        pipeline.Environment["Pipeline__Drop__PollSeconds"] = "0.2";
        pipeline.Environment["Pipeline__Drop__MinimumAgeSeconds"] = "0";
        var process = pipeline.Start("watch", "--drop", drop, "--workers", "3", "--data-dir", "data");
        var (o, e) = (new StringBuilder(), new StringBuilder());
        process.OutputDataReceived += (_, a) => { lock (o) { o.AppendLine(a.Data); } };
        process.ErrorDataReceived += (_, a) => { lock (e) { e.AppendLine(a.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        (output, errors) = (o, e);
        return process;
    }

    private static int CountSettled(string dataDirectory)
    {
        var database = Path.Combine(dataDirectory, "pipeline.db");
        if (!File.Exists(database))
        {
            return 0;
        }

        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "select count(*) from submission where status in ('accepted', 'superseded', 'rejected')";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new TimeoutException($"Waited 120 s for {what}.");
            }

            await Task.Delay(100, Ct);
        }
    }

    /// <summary>The same batch ingested once, with no fault: the state every interrupted run must end in.</summary>
    public sealed class UninterruptedRun : IAsyncLifetime
    {
        private readonly string _work = Directory.CreateTempSubdirectory("pipeline-kill-reference-").FullName;

        public List<string> Snapshot { get; private set; } = [];

        public async ValueTask InitializeAsync()
        {
            var batch = WriteBatch(Path.Combine(_work, "batch"));
            var (code, _, error) = await new PipelineProcess(_work).RunAsync("ingest", batch, "--data-dir", "data");
            Assert.True(code == 1, error);
            Snapshot = await DataDirectorySnapshot.TakeAsync(Path.Combine(_work, "data"));
        }

        public ValueTask DisposeAsync()
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_work, recursive: true);
            return ValueTask.CompletedTask;
        }
    }
}
