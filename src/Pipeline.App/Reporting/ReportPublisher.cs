using System.Text;
using Pipeline.Adapters.Storage;
using Pipeline.Core.Alerts;
using Pipeline.Core.Model;
using Pipeline.Core.Reporting;
using Pipeline.Core.Text.Reports;

namespace Pipeline.App.Reporting;

/// <summary>
/// Publishes a route's equity report for a month: builds it from the store, renders it and writes it to
/// <see cref="ReportAddress.Key"/>, the key the route's alert emails for that month link to (through
/// <c>Pipeline:Reports:BaseUrl</c>). The one way a report is published: <c>pipeline report</c>, the demo, and the monthly
/// digest when an email for (route, month) is released all call <see cref="PublishAsync"/>. Publishing again replaces the
/// page (atomically) with one built from the store as it is then.
/// </summary>
public sealed class ReportPublisher(EquityReportService reports, IObjectStore objects)
{
    /// <summary>Builds and writes the route's report for <paramref name="period"/>; returns the key written.</summary>
    /// <exception cref="ArgumentException">The route's code is not an LMNS (a region) of the reference data.</exception>
    public async Task<string> PublishAsync(AlertRoute route, Period period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        var model = await reports.BuildAsync(route, period, cancellationToken).ConfigureAwait(false);
        return await WriteAsync(model, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Renders and writes an already built model to its route's key; returns the key.</summary>
    public async Task<string> WriteAsync(EquityReportModel model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var key = ReportAddress.Key(new AlertRoute(model.Scope, model.LmnsCode), model.Period);
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(EquityReportHtml.Render(model)));
        await objects.WriteAsync(key, content, cancellationToken).ConfigureAwait(false);
        return key;
    }

    /// <summary>
    /// The reports base URL a deployment links to when <c>Pipeline:Reports:BaseUrl</c> is not set: where the object store
    /// writes the <c>reports</c> area, as a URL (<c>file:///…/reports/</c> for the local folder, the container's URL on Blob
    /// Storage); null for a store that has no address.
    /// </summary>
    public static string? DefaultBaseUrl(IObjectStore objects) => objects switch
    {
        FileSystemObjectStore folder => new Uri(Path.Combine(folder.Root, ReportAddress.Area) + Path.DirectorySeparatorChar).AbsoluteUri,
        BlobObjectStore blobs => blobs.AreaUri(ReportAddress.Area).AbsoluteUri,
        _ => null,
    };
}
