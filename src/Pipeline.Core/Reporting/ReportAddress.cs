using Pipeline.Core.Alerts;
using Pipeline.Core.Model;

namespace Pipeline.Core.Reporting;

/// <summary>
/// Where a route's equity report for a month is published, and the link to it: one definition shared by the report
/// publisher (which writes the key) and the alert emails (which link to it), so the link always opens the report written
/// for that route and month. The key is <c>reports/{scope}/{code}/{period}/equity-report.html</c> in the object store; the
/// link is the reports base URL (<c>Pipeline:Reports:BaseUrl</c>: where the <c>reports</c> area is served) followed by the
/// key's path below <c>reports/</c>.
/// </summary>
public static class ReportAddress
{
    /// <summary>The object store area (a folder of the data directory, a Blob Storage container) reports are written to.</summary>
    public const string Area = "reports";

    /// <summary>The key layout, below the area: <c>{scope}/{code}/{period}/equity-report.html</c>.</summary>
    public const string FileName = "equity-report.html";

    /// <summary>The report's path below the reports area, e.g. <c>lmns/QOP/2026-10/equity-report.html</c>.</summary>
    public static string PathInArea(AlertRoute route, Period period)
    {
        ArgumentNullException.ThrowIfNull(route);
        return $"{route.Scope.ToWire()}/{route.Code}/{period}/{FileName}";
    }

    /// <summary>The object store key, e.g. <c>reports/region/Y62/2026-10/equity-report.html</c>.</summary>
    public static string Key(AlertRoute route, Period period) => $"{Area}/{PathInArea(route, period)}";

    /// <summary>
    /// The link to the report: <paramref name="baseUrl"/> (the URL of the reports area, with or without a closing slash)
    /// joined to <see cref="PathInArea"/>; without a base URL, the key itself (a path relative to the data directory).
    /// </summary>
    public static string Link(string? baseUrl, AlertRoute route, Period period) =>
        string.IsNullOrWhiteSpace(baseUrl) ? Key(route, period) : $"{baseUrl.TrimEnd('/')}/{PathInArea(route, period)}";

    /// <summary>
    /// The route and month a report link (or key) names, read from its tail <c>{scope}/{code}/{period}/equity-report.html</c>;
    /// false when it names no report.
    /// </summary>
    public static bool TryParse(string link, out AlertRoute route, out Period period)
    {
        ArgumentNullException.ThrowIfNull(link);
        (route, period) = (new AlertRoute(RoutingScope.Lmns, string.Empty), default);
        var parts = link.Split('/');
        if (parts.Length < 4 || parts[^1] != FileName || !Period.TryParse(parts[^2], out var month)
            || parts[^4] is not ("lmns" or "region") || parts[^3].Length == 0)
        {
            return false;
        }

        (route, period) = (new AlertRoute(parts[^4] == "region" ? RoutingScope.Region : RoutingScope.Lmns, parts[^3]), month);
        return true;
    }

    /// <summary>
    /// Whether <paramref name="baseUrl"/> can be a reports base URL: an absolute http, https or file URL without a query or
    /// fragment (the report's path is appended to it).
    /// </summary>
    public static bool IsValidBaseUrl(string baseUrl) =>
        Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri)
        && uri.Scheme is "https" or "http" or "file"
        && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);
}
