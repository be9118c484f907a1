using System.Xml.Linq;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Repository;

/// <summary>
/// The shape of src/Pipeline.Functions that its build does not enforce: every package it references has a central
/// version, it references only Pipeline.App (a thin host), and it ships the repository's host.json. Its build output
/// and behaviour are tested by tests/Pipeline.Functions.Tests.
/// </summary>
public sealed class FunctionsProjectTests
{
    private static readonly XDocument Project = XDocument.Load(RepositoryPaths.Combine("src", "Pipeline.Functions", "Pipeline.Functions.csproj"));

    [Fact]
    public void Every_package_it_references_has_a_central_version_and_none_a_local_one()
    {
        var central = XDocument.Load(RepositoryPaths.Combine("Directory.Packages.props"))
            .Descendants("PackageVersion").Select(p => (string)p.Attribute("Include")!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var references = Project.Descendants("PackageReference").ToList();

        Assert.Contains(references, r => (string?)r.Attribute("Include") == "Microsoft.Azure.Functions.Worker.Extensions.Storage.Blobs");
        Assert.All(references, r =>
        {
            Assert.Contains((string)r.Attribute("Include")!, central);
            Assert.Null(r.Attribute("Version"));
        });
    }

    [Fact]
    public void It_references_only_the_application_project()
    {
        var projects = Project.Descendants("ProjectReference").Select(r => ((string)r.Attribute("Include")!).Replace('\\', '/'));

        Assert.Equal(["../Pipeline.App/Pipeline.App.csproj"], projects);
    }

    [Fact]
    public void It_ships_the_repository_host_json_beside_the_worker()
    {
        var hostJson = Assert.Single(Project.Descendants("None"), n => (string?)n.Attribute("Link") == "host.json");

        Assert.True(File.Exists(Path.GetFullPath(Path.Combine(RepositoryPaths.Combine("src", "Pipeline.Functions"), (string)hostJson.Attribute("Include")!))));
        Assert.Equal("PreserveNewest", (string?)hostJson.Attribute("CopyToPublishDirectory"));
    }
}
