using System.Text.RegularExpressions;
using Pipeline.Tests.Shared;
using YamlDotNet.RepresentationModel;

namespace Pipeline.App.Tests.Repository;

/// <summary>
/// The GitHub workflows and azure.yaml cannot run here, so check what can be checked: they are valid YAML, every job
/// has a runner and runnable steps, actions are pinned, and every repository file they name exists.
/// </summary>
public sealed partial class WorkflowFilesTests
{
    public static TheoryData<string> AutomationFiles()
    {
        var files = new TheoryData<string>();
        foreach (var workflow in WorkflowFiles.Workflows())
        {
            files.Add(Path.GetRelativePath(RepositoryPaths.Root, workflow));
        }

        files.Add("azure.yaml");
        return files;
    }

    public static TheoryData<string> Workflows()
    {
        var files = new TheoryData<string>();
        foreach (var workflow in WorkflowFiles.Workflows())
        {
            files.Add(Path.GetRelativePath(RepositoryPaths.Root, workflow));
        }

        return files;
    }

    [Fact]
    public void There_are_ci_and_deploy_workflows()
    {
        Assert.Equal(["ci.yml", "deploy.yml"], WorkflowFiles.Workflows().Select(Path.GetFileName));
    }

    [Theory]
    [MemberData(nameof(AutomationFiles))]
    public void File_is_valid_yaml_indented_with_spaces(string file)
    {
        var path = RepositoryPaths.Combine(file);

        Assert.DoesNotContain('\t', File.ReadAllText(path));
        Assert.NotEmpty(WorkflowFiles.Load(path).Children);
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Every_job_has_a_runner_and_every_step_runs_or_uses_something(string file)
    {
        var workflow = WorkflowFiles.Load(RepositoryPaths.Combine(file));
        Assert.NotNull(WorkflowFiles.Child(workflow, "on"));
        var jobs = Assert.IsType<YamlMappingNode>(WorkflowFiles.Child(workflow, "jobs"));

        Assert.All(jobs.Children, job =>
        {
            Assert.False(string.IsNullOrWhiteSpace(WorkflowFiles.Text(job.Value, "runs-on")), $"job {job.Key} has no runs-on");
            var steps = Assert.IsType<YamlSequenceNode>(WorkflowFiles.Child(job.Value, "steps"));
            Assert.All(steps.Children, step =>
                Assert.True(WorkflowFiles.Text(step, "run") is not null ^ WorkflowFiles.Text(step, "uses") is not null, $"a step of {job.Key} needs exactly one of run or uses"));
        });
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Actions_are_pinned_to_a_release(string file)
    {
        foreach (var uses in Steps(file).Select(step => WorkflowFiles.Text(step, "uses")).OfType<string>())
        {
            Assert.Matches(PinnedAction(), uses);
        }
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Every_repository_file_a_step_names_exists(string file)
    {
        foreach (var step in Steps(file))
        {
            foreach (var text in new[] { WorkflowFiles.Text(step, "run"), WorkflowFiles.Text(step, "working-directory") }
                .Concat(WorkflowFiles.Child(step, "with") is YamlMappingNode with
                    ? with.Children.Values.OfType<YamlScalarNode>().Select(v => v.Value)
                    : []))
            {
                Assert.Empty(WorkflowFiles.MissingPaths(text ?? string.Empty));
            }
        }
    }

    [Fact]
    public void Deploy_runs_after_a_workflow_that_exists()
    {
        var names = WorkflowFiles.Workflows().Select(w => WorkflowFiles.Text(WorkflowFiles.Load(w), "name")).ToList();
        var deploy = WorkflowFiles.Load(RepositoryPaths.Combine(".github", "workflows", "deploy.yml"));
        var after = Assert.IsType<YamlSequenceNode>(WorkflowFiles.Child(WorkflowFiles.Child(WorkflowFiles.Child(deploy, "on")!, "workflow_run")!, "workflows"));

        Assert.All(after.Children.OfType<YamlScalarNode>(), name => Assert.Contains(name.Value, names));
    }

    [Fact]
    public void Azd_service_project_infra_module_and_hooks_exist()
    {
        var azd = WorkflowFiles.Load(RepositoryPaths.Combine("azure.yaml"));
        var infra = WorkflowFiles.Child(azd, "infra")!;
        Assert.True(File.Exists(RepositoryPaths.Combine(WorkflowFiles.Text(infra, "path")!, WorkflowFiles.Text(infra, "module") + ".bicep")));

        var services = Assert.IsType<YamlMappingNode>(WorkflowFiles.Child(azd, "services"));
        Assert.All(services.Children.Values, service =>
            Assert.NotEmpty(Directory.EnumerateFiles(RepositoryPaths.Combine(WorkflowFiles.Text(service, "project")!), "*.csproj")));

        var hooks = Assert.IsType<YamlMappingNode>(WorkflowFiles.Child(azd, "hooks"));
        Assert.All(hooks.Children.Values.SelectMany(h => ((YamlMappingNode)h).Children.Values), platform =>
            Assert.Empty(WorkflowFiles.MissingPaths(WorkflowFiles.Text(platform, "run")!)));
    }

    [Fact]
    public void Path_check_reports_a_file_that_does_not_exist_and_ignores_outputs_and_options()
    {
        const string Command = "dotnet publish src/Pipeline.Functions/Pipeline.Functions.csproj --output artifacts/out && bash eng/missing.sh ${{ env.X }} https://x.org/a";

        Assert.Equal(["src/Pipeline.Functions/Pipeline.Functions.csproj", "eng/missing.sh"], WorkflowFiles.PathsMentionedIn(Command));
        Assert.Equal(["eng/missing.sh"], WorkflowFiles.MissingPaths(Command));
    }

    private static IEnumerable<YamlNode> Steps(string file)
    {
        var jobs = (YamlMappingNode)WorkflowFiles.Child(WorkflowFiles.Load(RepositoryPaths.Combine(file)), "jobs")!;
        return jobs.Children.Values.SelectMany(job => ((YamlSequenceNode)WorkflowFiles.Child(job, "steps")!).Children);
    }

    [GeneratedRegex(@"^(\./[\w./-]+|[\w.-]+/[\w.-]+(/[\w./-]+)?@v\d+(\.\d+)*)$")]
    private static partial Regex PinnedAction();
}
