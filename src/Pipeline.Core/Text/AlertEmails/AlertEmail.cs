using Pipeline.Core.Text.Email;
using Pipeline.Core.Alerts;

namespace Pipeline.Core.Text.AlertEmails;

/// <summary>A rendered alert email plus the chart to draw and attach inline (null when no alert has a ratio to plot).</summary>
public sealed record AlertEmail(RenderedEmail Email, ForestPlot? Plot);

/// <summary>Presentation settings. <see cref="ReportLocation"/> may use <c>{scope}</c>, <c>{code}</c> and <c>{period}</c>.</summary>
public sealed record AlertEmailOptions
{
    public static readonly AlertEmailOptions Default = new();

    public string ProductName { get; init; } = "Maternity equity pipeline";

    /// <summary>
    /// Where the full report lives (a URL or a path under the data directory): by default where the report service writes
    /// it, <see cref="DefaultReportLocation"/>.
    /// </summary>
    public string ReportLocation { get; init; } = DefaultReportLocation;

    /// <summary>The path the LMNS equity report is published at (<c>pipeline report</c>, the demo), relative to the data directory.</summary>
    public const string DefaultReportLocation = "reports/{scope}/{code}/{period}/equity-report.html";

    /// <summary>The location for one route and period.</summary>
    public static string Fill(string template, string scope, string code, string period) =>
        template.Replace("{scope}", scope, StringComparison.Ordinal)
            .Replace("{code}", code, StringComparison.Ordinal)
            .Replace("{period}", period, StringComparison.Ordinal);

    /// <summary>Consecutive quiet evaluated months before an alert resolves, quoted in the email. Default 2.</summary>
    public int ResolveAfter { get; init; } = AlertPolicy.Default.ResolveAfter;
}
