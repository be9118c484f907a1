using System.Globalization;
using Pipeline.Core.Alerts.Routing;
using Pipeline.Core.Model;
using Pipeline.Core.Publishing;
using Pipeline.Core.Reference;
using Pipeline.Core.Text.Email;
using Pipeline.Core.Detection;
using Pipeline.Core.Alerts;
using Pipeline.Core.Reporting;

namespace Pipeline.Core.Text.AlertEmails;

/// <summary>
/// Renders one recipient group's email for a run (docs/alerts.md §5): subject with the LMNS, period and counts;
/// per alert the indicator, level and organisation, group vs reference with values and 95% CIs, the ratio with its CIs,
/// window, since when, and the rule; a forest plot; a link to the full report. Pure: reference data in, text out.
/// </summary>
public sealed class AlertEmailRenderer(ReferenceData reference, AlertEmailOptions? options = null)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private readonly AlertEmailOptions _options = options ?? AlertEmailOptions.Default;

    /// <summary>How every monthly digest's subject starts (a notice that could not wait starts otherwise).</summary>
    public const string DigestSubjectStart = "Maternity equity digest: ";

    public AlertEmail Render(AlertEmailGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var routeName = RouteName(group.Route, group.Period);
        var equity = group.Notices.Where(n => n.Alert.Fingerprint.Rule.IsEquityRule()).ToList();
        var sections = new List<EmailSection>();
        // What the subject counts: cards, not notices (a trust's poor recording on 18 indicators is one card, one fact).
        var tally = new List<string>();
        var changes = 0;
        void AddCards(string heading, (string One, string Many) counted, IReadOnlyList<EmailCard> cards, string? intro = null)
        {
            if (cards.Count > 0)
            {
                changes += cards.Count;
                sections.Add(new EmailSection(heading, cards, intro));
                tally.Add(string.Create(Invariant, $"{cards.Count} {(cards.Count == 1 ? counted.One : counted.Many)}"));
            }
        }

        void Add(string heading, (string One, string Many) counted, IEnumerable<AlertNotice> notices, string? intro = null) =>
            AddCards(heading, counted, [.. notices.Select(n => Card(n, group.Period))], intro);

        Add("New alerts", ("new", "new"), equity.Where(n => n.Kind == NoticeKind.New));
        Add("Escalated", ("escalated", "escalated"), equity.Where(n => n.Kind == NoticeKind.Escalated),
            "These alerts are stronger than when you were last told.");
        Add("Severity lowered", ("eased", "eased"), equity.Where(n => n.Kind == NoticeKind.Deescalated));
        Add("Resolved", ("resolved", "resolved"), equity.Where(n => n.Kind == NoticeKind.Resolved),
            string.Create(Invariant, $"The rule has not held for {_options.ResolveAfter} consecutive evaluated months, or revised data no longer support it."));
        Add("Still firing (reminder)", ("reminder", "reminders"), equity.Where(n => n.Kind == NoticeKind.Reminder),
            "Unchanged since the last email about them.");
        var quality = group.Notices.Where(n => n.Alert.Fingerprint.Rule == AlertRule.DataQuality).ToList();
        AddCards("Data quality", ("data-quality problem", "data-quality problems"),
            DataQualityCards(quality.Where(n => n.Kind != NoticeKind.Resolved), group.Period));
        AddCards("Data quality resolved", ("data-quality problem resolved", "data-quality problems resolved"),
            DataQualityCards(quality.Where(n => n.Kind == NoticeKind.Resolved), group.Period));
        var late = group.Notices.Where(n => n.Alert.Fingerprint.Rule == AlertRule.LateSubmission).ToList();
        Add("Late or missing submissions", ("missing submission", "missing submissions"), late.Where(n => n.Kind != NoticeKind.Resolved));
        Add("Late submissions now in", ("late file now in", "late files now in"), late.Where(n => n.Kind == NoticeKind.Resolved));
        if (group.Withheld.Count > 0)
        {
            sections.Add(new EmailSection("Equity alerts withheld", Withheld(group.Withheld, group.Period),
                "No equity alert is raised for these organisations and months until the data problem is fixed."));
        }

        var continuingCount = 0;
        if (group.Digest is { Continuing.Count: > 0 } digest)
        {
            var card = ContinuingCard(digest.Continuing, group.Period);
            continuingCount = card.Lines.Count;
            sections.Add(new EmailSection("Still firing, unchanged", [card],
                "You have been told of these before; each is unchanged since. The report has their detail."));
        }

        var counts = tally.Count > 0 ? string.Join(", ", tally) : "no changes";
        var still = continuingCount > 0 ? string.Create(Invariant, $"; {continuingCount} still firing") : string.Empty;
        var month = MonthName(group.Period);
        var (subject, title, summary) = group.Digest is { } facts
            ? ($"{DigestSubjectStart}{routeName}, {month}: {counts}{still}",
                $"Monthly maternity equity digest for {routeName}, {month}",
                new List<string> { Coverage(facts.Month), DigestScope(changes, continuingCount) })
            : ($"Maternity equity: action needed, {routeName}: {counts}",
                $"Maternity equity notice for {routeName}",
                new List<string>
                {
                    "This could not wait for your monthly digest: a submission or its data stop equity comparisons for an organisation "
                        + "you cover. Everything else comes in the digest.",
                });
        var plot = Plot(group);
        var document = new EmailDocument(subject, title, summary, sections, Footer(group),
            plot is null ? null : new EmailImage(ForestPlot.ContentId, plot.Title));
        return new AlertEmail(EmailLayout.Render(document), plot);
    }

    /// <summary>How complete the month's data were when the digest went out (docs/alerts.md §4).</summary>
    private static string Coverage(Alerts.Digests.DigestMonth month) => month.Complete
        ? string.Create(Invariant,
            $"Every expected trust's file for {MonthName(month.Period)} is in ({month.TrustsIn} of {month.ExpectedTrusts}).")
        : string.Create(Invariant,
            $"The submission deadline ({month.Deadline:d MMMM yyyy}) passed with {month.TrustsIn} of {month.ExpectedTrusts} "
            + $"trusts' files for "
            + $"{MonthName(month.Period)} in. Files that arrive later are counted in next month's digest.");

    private static string DigestScope(int changes, int continuing) =>
        Count(changes, "change", "changes") + " since your last digest"
        + (continuing > 0 ? "; " + Count(continuing, "alert", "alerts") + " still firing, unchanged." : ".");

    private static string Count(int count, string one, string many) => string.Create(Invariant, $"{count} {(count == 1 ? one : many)}");

    private static string MonthName(Period period) =>
        period.FirstDay.ToString("MMMM yyyy", Invariant);

    /// <summary>
    /// The alerts still firing that the recipients already know of: one line each (a trust's data-quality alerts on one field
    /// are one line, as they are one card), so the digest stays short.
    /// </summary>
    private EmailCard ContinuingCard(IReadOnlyList<AlertState> continuing, Period period)
    {
        var lines = continuing
            .GroupBy(a => a.Fingerprint.Rule == AlertRule.DataQuality
                ? SilencePattern(a.Fingerprint)
                : a.Fingerprint.ToString(), StringComparer.Ordinal)
            .Select(g =>
            {
                var first = g.First();
                var fp = first.Fingerprint;
                var what = fp.Rule switch
                {
                    AlertRule.DataQuality => string.Create(Invariant,
                        $"{BreakdownField(fp.Breakdown)} not recorded well enough ({Count(g.Count(), "indicator", "indicators")})"),
                    AlertRule.LateSubmission => "submission not received",
                    AlertRule.Gradient => $"{IndicatorName(fp)}, deprivation gradient",
                    _ => GroupLabels(fp, first.Evidence) is var (grp, against)
                        ? $"{IndicatorName(fp)}, {grp} compared with {against}"
                        : fp.ToString(),
                };
                return new EmailLine(
                    OrganisationName(fp.Level, fp.OrganisationCode, period),
                    $"{what}: {first.Severity.ToWire()} since {g.Min(a => a.FiringSince)} ({g.Key})");
            })
            .ToList();
        return new EmailCard(string.Create(Invariant, $"{lines.Count} still firing"), lines);
    }

    /// <summary>The pattern that silences one organisation's data-quality alerts on one field, whatever the indicator.</summary>
    private static string SilencePattern(AlertFingerprint fp) =>
        $"{fp.Level.ToWire()}|{fp.OrganisationCode}|*|{fp.Breakdown}|{fp.GroupCode}|{fp.Rule.ToWire()}";

    private string IndicatorName(AlertFingerprint fp) => reference.FindIndicator(fp.IndicatorCode)?.Name ?? fp.IndicatorCode;

    private static string BreakdownField(string breakdown) =>
        breakdown == ComparisonBreakdown.EthnicGroup.ToWire() ? "ethnicity" : "IMD (deprivation)";

    private EmailCard Card(AlertNotice notice, Period period)
    {
        var alert = notice.Alert;
        var fp = alert.Fingerprint;
        var indicator = reference.FindIndicator(fp.IndicatorCode);
        var indicatorName = indicator?.Name ?? fp.IndicatorCode;
        var (groupLabel, referenceLabel) = GroupLabels(fp, alert.Evidence);
        var title = fp.Rule switch
        {
            AlertRule.Gradient => $"{indicatorName}: deprivation gradient",
            AlertRule.DataQuality when fp == AlertInputs.RejectedSubmissionFingerprint(fp.OrganisationCode) =>
                $"Submission rejected: {OrganisationName(fp.Level, fp.OrganisationCode, period)}",
            AlertRule.DataQuality => $"{indicatorName}: data quality ({fp.Breakdown})",
            AlertRule.LateSubmission => $"Submission not received: {OrganisationName(fp.Level, fp.OrganisationCode, period)}",
            _ => $"{indicatorName}: {groupLabel} compared with {referenceLabel}",
        };

        var lines = new List<EmailLine>
        {
            new(LevelLabel(fp.Level), OrganisationName(fp.Level, fp.OrganisationCode, period)),
            new("Severity", Severity(notice)),
        };
        if (fp.Rule is not (AlertRule.LateSubmission or AlertRule.DataQuality))
        {
            lines.AddRange(EvidenceFormatter.Lines(alert.Evidence, indicator, fp.Rule, groupLabel, referenceLabel));
        }

        lines.Add(new EmailLine("Since", alert.FiringSince.ToString()));
        if (alert is { Status: AlertStatus.Resolved, ResolvedAt: { } resolved })
        {
            lines.Add(new EmailLine("Resolved", resolved.ToString()));
        }

        lines.Add(new EmailLine("Rule", $"{RuleName(fp.Rule)}: {alert.Evidence.RuleText}"));
        lines.Add(new EmailLine("What we ask", LeadActions.For(notice, OrganisationName(fp.Level, fp.OrganisationCode, period))));
        lines.Add(new EmailLine("Alert id", fp.ToString()));
        return new EmailCard(title, lines);
    }

    /// <summary>
    /// One card per organisation, breakdown and kind of change: a trust that records ethnicity poorly trips the gate on
    /// every indicator at once, and eighteen near-identical cards would bury the one fact (which trust, which field, how
    /// bad). A lone finding, and a rejected submission, keep their own card.
    /// </summary>
    private IReadOnlyList<EmailCard> DataQualityCards(IEnumerable<AlertNotice> notices, Period period) =>
        [.. notices
            .GroupBy(n => (n.Alert.Fingerprint.Level, n.Alert.Fingerprint.OrganisationCode, n.Alert.Fingerprint.Breakdown, n.Kind,
                Rejected: n.Alert.Fingerprint == AlertInputs.RejectedSubmissionFingerprint(n.Alert.Fingerprint.OrganisationCode)))
            .SelectMany(g => g.Key.Rejected || g.Count() == 1
                ? g.Select(n => Card(n, period))
                : [GroupedDataQualityCard([.. g], period)])];

    private EmailCard GroupedDataQualityCard(IReadOnlyList<AlertNotice> notices, Period period)
    {
        var first = notices[0].Alert.Fingerprint;
        var resolved = notices[0].Kind == NoticeKind.Resolved;
        var field = BreakdownField(first.Breakdown);
        // Percentages from the rounded counts, none where a count is suppressed (Disclosure).
        var shares = notices.Select(n => n.Alert.Evidence)
            .Select(e => e is { Numerator: { } unknown, Denominator: { } total } ? Disclosure.Share(unknown, total) : null)
            .OfType<decimal>()
            .ToList();
        var indicators = notices.Select(n => reference.FindIndicator(n.Alert.Fingerprint.IndicatorCode)?.Name ?? n.Alert.Fingerprint.IndicatorCode);
        var lines = new List<EmailLine>
        {
            new(LevelLabel(first.Level), OrganisationName(first.Level, first.OrganisationCode, period)),
            new("Severity", Severity(notices[0])),
            new(string.Create(Invariant, $"Indicators ({notices.Count})"), string.Join("; ", indicators)),
        };
        if (shares.Count > 0)
        {
            lines.Add(new EmailLine(resolved ? "Not recorded (when last above the threshold)" : "Not recorded", string.Create(Invariant,
                $"{shares.Min():0.0}% to {shares.Max():0.0}% of each indicator's window, above the data-quality threshold")));
        }

        lines.Add(new EmailLine("Since", notices.Min(n => n.Alert.FiringSince).ToString()));
        lines.Add(new EmailLine("Rule", resolved
            ? $"data quality: {field} recording is back within the threshold, so comparisons for these indicators resume"
            : $"data quality: {field} comparisons for these indicators are withheld until recording improves"));
        var pattern = SilencePattern(first);
        var organisation = OrganisationName(first.Level, first.OrganisationCode, period);
        lines.Add(new EmailLine("What we ask", LeadActions.For(notices[0], organisation, pattern)));
        lines.Add(new EmailLine("Alert ids", $"{pattern} (one per indicator; this pattern silences them all)"));
        var state = resolved ? "recorded well enough again" : "not recorded well enough";
        return new EmailCard(string.Create(Invariant, $"{OrganisationName(first.Level, first.OrganisationCode, period)}: {field} {state} ({notices.Count} indicators)"), lines);
    }

    private IReadOnlyList<EmailCard> Withheld(IReadOnlyList<WithheldSignal> withheld, Period period) =>
        [.. withheld
            .GroupBy(w => w.Because)
            .Select(g => new EmailCard(
                $"{OrganisationName(g.Key.Level, g.Key.OrganisationCode, period)}: {g.Key.IndicatorCode ?? "all indicators"}, {g.Key.Breakdown ?? "all breakdowns"}",
                [
                    new EmailLine("Why", g.Key.Reason),
                    new EmailLine("Signals withheld", string.Create(Invariant, $"{g.Count()} ({string.Join(", ", g.Select(w => w.Signal.Fingerprint.IndicatorCode).Distinct())})")),
                ]))];

    private ForestPlot? Plot(AlertEmailGroup group)
    {
        var rows = group.Notices
            .Where(n => n.Alert.Status == AlertStatus.Firing && n.Alert.Fingerprint.Rule is AlertRule.Ratio or AlertRule.Gradient)
            .Select(n => (Notice: n, Ratio: n.Alert.Evidence.PublishedRatio(n.Alert.Fingerprint.Rule)))
            .Where(x => x.Ratio is { Value: > 0, Ci95: { Lower: > 0, Upper: > 0 } })
            .Select(x => new ForestPlotRow(
                $"{x.Notice.Alert.Fingerprint.OrganisationCode} {x.Notice.Alert.Fingerprint.IndicatorCode} {GroupLabels(x.Notice.Alert.Fingerprint, x.Notice.Alert.Evidence).Group}",
                x.Ratio.Value!.Value, x.Ratio.Ci95!.Value.Lower, x.Ratio.Ci95.Value.Upper, x.Notice.Alert.Severity))
            .ToList();
        return rows.Count == 0 ? null
            : new ForestPlot(string.Create(Invariant, $"Ratio to reference with 95% CI, {group.Period}"), rows);
    }

    private List<string> Footer(AlertEmailGroup group)
    {
        var location = ReportAddress.Link(_options.ReportBaseUrl, group.Route, group.Period);
        return
        [
            $"Full report: {location}",
            "Disclosure control: counts are rounded to the nearest 5 and * means 1 to 7; every rate, interval and ratio is "
                + "computed from the rounded counts and not shown where a count it rests on is * (fewer than 8 events).",
            "Watch: the 95% CI of the ratio excludes 1 (or an SPC concern). Alert: the 99.8% CI excludes 1, the ratio is at least 1.25 (or at most 0.8) and both groups have at least 5 events.",
            $"Sent by the {_options.ProductName}. Each alert says what we ask of you and how; "
                + "reply to your regional analyst team with questions.",
        ];
    }

    private string RouteName(AlertRoute route, Period period) => route.Scope switch
    {
        RoutingScope.Lmns => reference.FindLmns(route.Code, period) is { } lmns ? $"{lmns.Name} ({route.Code})" : $"LMNS {route.Code}",
        _ => reference.FindRegion(route.Code) is { } region ? $"{region.Name} region ({route.Code})" : $"region {route.Code}",
    };

    private string OrganisationName(Level level, string code, Period period) => level switch
    {
        Level.Organisation => reference.FindTrust(code) is { } trust ? $"{trust.Name} ({code})" : code,
        Level.Lmns => reference.FindLmns(code, period) is { } lmns ? $"{lmns.Name} ({code})" : code,
        _ => reference.FindRegion(code) is { } region ? $"{region.Name} ({code})" : code,
    };

    private static (string Group, string Reference) GroupLabels(AlertFingerprint fp, AlertEvidence evidence)
    {
        var imd = fp.Breakdown.StartsWith("imd", StringComparison.Ordinal);
        string Label(string? code) => code is null ? "reference" : imd ? $"IMD quintile {code}" : code;
        return fp.Rule == AlertRule.Gradient
            ? ("most deprived", "least deprived")
            : (Label(fp.GroupCode), Label(evidence.ReferenceGroupCode));
    }

    private static string LevelLabel(Level level) => level switch
    {
        Level.Organisation => "Trust",
        Level.Lmns => "LMNS",
        _ => "Region",
    };

    private static string Severity(AlertNotice notice) => notice.Kind switch
    {
        NoticeKind.Escalated or NoticeKind.Deescalated when notice.PreviousSeverity is { } before =>
            $"{before.ToWire()} → {notice.Alert.Severity.ToWire()}",
        NoticeKind.Resolved => $"resolved (was {notice.Alert.Severity.ToWire()})",
        _ => notice.Alert.Severity.ToWire(),
    };

    private static string RuleName(AlertRule rule) => rule switch
    {
        AlertRule.Ratio => "group ratio",
        AlertRule.Gradient => "deprivation gradient",
        AlertRule.Spc => "SPC on the monthly ratio",
        AlertRule.DataQuality => "data quality",
        _ => "late submission",
    };
}
