using Pipeline.Core.Text.Email;
using Pipeline.Core.Alerts;
using Pipeline.Core.Reporting;

namespace Pipeline.Core.Text.AlertEmails;

/// <summary>A rendered alert email plus the chart to draw and attach inline (null when no alert has a ratio to plot).</summary>
public sealed record AlertEmail(RenderedEmail Email, ForestPlot? Plot);

/// <summary>Presentation settings.</summary>
public sealed record AlertEmailOptions
{
    public static readonly AlertEmailOptions Default = new();

    public string ProductName { get; init; } = "Maternity equity pipeline";

    /// <summary>
    /// The URL of the published reports area (<c>Pipeline:Reports:BaseUrl</c>): the footer links
    /// <see cref="ReportAddress.Link"/>, the very report <c>ReportPublisher</c> writes for the email's route and month. Null:
    /// the report's key, a path relative to the data directory (tests, previews).
    /// </summary>
    public string? ReportBaseUrl { get; init; }

    /// <summary>Consecutive quiet evaluated months before an alert resolves, quoted in the email. Default 2.</summary>
    public int ResolveAfter { get; init; } = AlertPolicy.Default.ResolveAfter;
}
