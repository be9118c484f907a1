using System.Diagnostics;
using Pipeline.Tests.Shared;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Functions.Tests;

/// <summary>
/// The azd hooks, run by a real shell with stand-ins for <c>azd</c> and <c>az</c> (neither can reach Azure here) that
/// record what they were asked and answer as Azure would: the blobs_extension key appears only after some polls, and
/// provisioning can fail. Phase 2 must wait for the key, set DEPLOY_EVENT_SUBSCRIPTION only then, put it back when
/// provisioning fails (so the next run retries instead of skipping), and record success only after it.
/// </summary>
public sealed class DeploymentScriptTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly string _stub = Directory.CreateTempSubdirectory("pipeline-azd-").FullName;

    public DeploymentScriptTests()
    {
        Directory.CreateDirectory(Path.Combine(_stub, "bin"));
        Directory.CreateDirectory(Path.Combine(_stub, "env"));
        Stub("azd", """
            #!/bin/sh
            case "$1 $2" in
              "env get-value") [ -f "$STUB/env/$3" ] && cat "$STUB/env/$3" || exit 1 ;;
              "env set") printf '%s' "$4" > "$STUB/env/$3"; echo "set $3=$4" >> "$STUB/log" ;;
              "provision --no-prompt")
                echo "provision DEPLOY_EVENT_SUBSCRIPTION=$(cat "$STUB/env/DEPLOY_EVENT_SUBSCRIPTION" 2>/dev/null)" >> "$STUB/log"
                fails=$(cat "$STUB/provision-failures" 2>/dev/null || echo 0)
                if [ "$fails" -gt 0 ]; then echo $((fails - 1)) > "$STUB/provision-failures"; exit 1; fi ;;
              *) echo "unexpected azd $*" >&2; exit 2 ;;
            esac
            """);
        Stub("az", """
            #!/bin/sh
            [ "$1 $2 $3" = "functionapp keys list" ] || { echo "unexpected az $*" >&2; exit 2; }
            echo "keys $5 $7" >> "$STUB/log"
            polls=$(cat "$STUB/key-after" 2>/dev/null || echo 0)
            if [ "$polls" -gt 0 ]; then echo $((polls - 1)) > "$STUB/key-after"; echo ""; else echo "key-value"; fi
            """);
        File.WriteAllText(Path.Combine(_stub, "env", "AZURE_RESOURCE_GROUP"), "rg-test");
        File.WriteAllText(Path.Combine(_stub, "env", "AZURE_FUNCTION_APP_NAME"), "func-pipeline-abc");
    }

    [Fact]
    public async Task Phase_two_waits_for_the_key_then_provisions_with_the_subscription_and_records_it()
    {
        File.WriteAllText(Path.Combine(_stub, "key-after"), "2");

        var exit = await RunAsync("connect-event-grid.sh");

        Assert.Equal(0, exit);
        Assert.Equal(
            [
                "keys rg-test func-pipeline-abc", "keys rg-test func-pipeline-abc", "keys rg-test func-pipeline-abc",
                "set DEPLOY_EVENT_SUBSCRIPTION=true", "provision DEPLOY_EVENT_SUBSCRIPTION=true", "set EVENT_SUBSCRIPTION_CONNECTED=true",
            ],
            Log());
    }

    [Fact]
    public async Task A_failed_phase_two_is_not_recorded_so_the_next_deploy_retries_it()
    {
        File.WriteAllText(Path.Combine(_stub, "provision-failures"), "3");

        Assert.NotEqual(0, await RunAsync("connect-event-grid.sh"));
        Assert.Equal("false", Env("DEPLOY_EVENT_SUBSCRIPTION"));
        Assert.Null(Env("EVENT_SUBSCRIPTION_CONNECTED"));

        Assert.Equal(0, await RunAsync("connect-event-grid.sh"));
        Assert.Equal("true", Env("EVENT_SUBSCRIPTION_CONNECTED"));
        Assert.Equal(4, Log().Count(l => l == "provision DEPLOY_EVENT_SUBSCRIPTION=true"));

        File.Delete(Path.Combine(_stub, "log"));
        Assert.Equal(0, await RunAsync("connect-event-grid.sh"));
        Assert.Empty(Log()); // connected: later deployments do nothing
    }

    [Fact]
    public async Task Without_the_key_phase_two_never_provisions_nor_sets_the_parameter()
    {
        File.WriteAllText(Path.Combine(_stub, "key-after"), "100");

        Assert.NotEqual(0, await RunAsync("connect-event-grid.sh"));

        Assert.Equal(3, Log().Count);
        Assert.All(Log(), l => Assert.StartsWith("keys ", l, StringComparison.Ordinal));
        Assert.Null(Env("DEPLOY_EVENT_SUBSCRIPTION"));
    }

    [Fact]
    public void Azd_runs_the_database_step_after_provisioning_and_phase_two_after_deploying()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(RepositoryPaths.Combine("azure.yaml"))));
        var hooks = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["hooks"];

        string Run(string hook) => ((YamlScalarNode)((YamlMappingNode)((YamlMappingNode)hooks[hook])["posix"])["run"]).Value!;

        Assert.Equal("./infra/scripts/prepare-database.sh", Run("postprovision"));
        Assert.Equal("./infra/scripts/connect-event-grid.sh", Run("postdeploy"));
    }

    [Fact]
    public async Task The_database_step_creates_the_app_identitys_user_through_pipeline_migrate()
    {
        var script = File.ReadAllText(RepositoryPaths.Combine("infra", "scripts", "prepare-database.sh"));

        Assert.Contains("-- migrate --app-user \"$app_user\" --app-user-object-id \"$app_user_object_id\"", script, StringComparison.Ordinal);
        Assert.Contains("trap 'az sql server firewall-rule delete", script, StringComparison.Ordinal);
        foreach (var file in Directory.GetFiles(RepositoryPaths.Combine("infra", "scripts"), "*.sh"))
        {
            var shell = File.ReadAllText(file).StartsWith("#!/usr/bin/env bash", StringComparison.Ordinal) ? "bash" : "sh";
            Assert.Equal(0, await RunProcessAsync(shell, ["-n", file]));
        }
    }

    public void Dispose() => Directory.Delete(_stub, recursive: true);

    private void Stub(string name, string script)
    {
        var path = Path.Combine(_stub, "bin", name);
        File.WriteAllText(path, script.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private string? Env(string key) => File.Exists(Path.Combine(_stub, "env", key)) ? File.ReadAllText(Path.Combine(_stub, "env", key)) : null;

    private List<string> Log() => File.Exists(Path.Combine(_stub, "log")) ? [.. File.ReadAllLines(Path.Combine(_stub, "log"))] : [];

    private Task<int> RunAsync(string script) =>
        RunProcessAsync("sh", [RepositoryPaths.Combine("infra", "scripts", script)], new Dictionary<string, string>
        {
            ["STUB"] = _stub,
            ["PATH"] = Path.Combine(_stub, "bin") + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["PIPELINE_KEY_WAIT_ATTEMPTS"] = "3",
            ["PIPELINE_KEY_WAIT_SECONDS"] = "0",
            ["PIPELINE_RETRY_SECONDS"] = "0",
        });

    private static async Task<int> RunProcessAsync(string file, string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var (exitCode, output, error) = await TimedProcess.RunAsync(start, Limit, $"{file} {string.Join(' ', arguments)}");
        TestContext.Current.TestOutputHelper?.WriteLine(output + error);
        return exitCode;
    }
}
