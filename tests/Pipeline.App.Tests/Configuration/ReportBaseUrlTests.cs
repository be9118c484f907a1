using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Pipeline.Adapters.Storage;
using Pipeline.App.Configuration;
using Pipeline.App.Reporting;
using Pipeline.Core.Alerts;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Reporting;
using Pipeline.Core.Text.AlertEmails;

namespace Pipeline.App.Tests.Configuration;

/// <summary>
/// <c>Pipeline:Reports:BaseUrl</c>: the alert emails' "Full report" link is that URL plus the report's path below the
/// <c>reports</c> area; without it, where the object store writes (the data directory's folder, the Blob container).
/// </summary>
public sealed class ReportBaseUrlTests : IDisposable
{
    private static readonly AlertRoute Qop = new(RoutingScope.Lmns, "QOP");
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-report-url-").FullName;

    [Fact]
    public void Without_a_base_url_the_link_is_the_file_url_of_the_local_report_the_publisher_writes()
    {
        var options = new PipelineOptions { DataDirectory = _root };
        var objects = new FileSystemObjectStore(_root);

        var link = Link(PipelineComposition.ReportBaseUrl(options, objects), Qop, new Period(2026, 10));

        var uri = new Uri(link);
        Assert.Equal(Uri.UriSchemeFile, uri.Scheme);
        Assert.Equal(objects.Describe(ReportAddress.Key(Qop, new Period(2026, 10))), uri.LocalPath);
        Assert.EndsWith("/reports/lmns/QOP/2026-10/equity-report.html", link, StringComparison.Ordinal);
    }

    [Fact]
    public void On_blob_storage_the_default_link_is_the_reports_containers_url_with_its_prefix()
    {
        var objects = new BlobObjectStore(new BlobServiceClient(new Uri("https://stdata.blob.core.windows.net/")), "ci42-");

        var link = Link(ReportPublisher.DefaultBaseUrl(objects), new AlertRoute(RoutingScope.Region, "Y62"), new Period(2026, 10));

        Assert.Equal("https://stdata.blob.core.windows.net/ci42-reports/region/Y62/2026-10/equity-report.html", link);
        Assert.Equal(objects.Describe("reports/region/Y62/2026-10/equity-report.html"), link);
    }

    [Theory]
    [InlineData("https://reports.maternity.example/equity")]
    [InlineData("https://reports.maternity.example/equity/")]
    public void A_configured_base_url_is_what_the_email_links_with_or_without_a_closing_slash(string baseUrl)
    {
        var options = PipelineConfiguration.Bind(Configuration(("Pipeline:Reports:BaseUrl", baseUrl), ("Pipeline:DataDirectory", _root)));

        var link = Link(PipelineComposition.ReportBaseUrl(options, new FileSystemObjectStore(_root)), Qop, new Period(2026, 10));

        Assert.Equal("https://reports.maternity.example/equity/lmns/QOP/2026-10/equity-report.html", link);
    }

    [Theory]
    [InlineData("reports/")]
    [InlineData("ftp://files.example/reports/")]
    [InlineData("https://stdata.blob.core.windows.net/reports/?sv=2024&sig=secret")]
    public void A_base_url_that_is_not_an_absolute_http_or_file_url_without_a_query_fails_at_start(string baseUrl)
    {
        var error = Assert.Throws<PipelineConfigurationException>(
            () => PipelineConfiguration.Bind(Configuration(("Pipeline:Reports:BaseUrl", baseUrl))));

        Assert.Contains($"Pipeline:Reports:BaseUrl is '{baseUrl}'", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>The email's "Full report" line, as the renderer writes it with this base URL.</summary>
    private static string Link(string? baseUrl, AlertRoute route, Period period)
    {
        var group = Core.Tests.Alerts.AlertEmailExample.OctoberGroup() with { Route = route, Period = period };
        var renderer = new AlertEmailRenderer(ReferenceData.Embedded, new AlertEmailOptions { ReportBaseUrl = baseUrl });
        var text = renderer.Render(group).Email.Text;
        return text.Split('\n').Single(l => l.StartsWith("Full report: ", StringComparison.Ordinal))["Full report: ".Length..].Trim();
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}
