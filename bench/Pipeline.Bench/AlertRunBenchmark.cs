using System.Diagnostics;
using Pipeline.Adapters.Charts;
using Pipeline.App.Alerts;
using Pipeline.App.Notifications;
using Pipeline.Core.Alerts;
using Pipeline.Core.Text.AlertEmails;
using Pipeline.Core.Alerts.Routing;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.Bench;

/// <summary>
/// A national month for the alert step: every active trust evaluated, 18 indicators × 8 compared groups each, with 12
/// months of alert history already stored; then routing and composing one email (with its PNG chart) per LMNS.
/// </summary>
internal sealed class AlertRunBenchmark : IBenchmark
{
    private static readonly string[] Groups = ["Asian", "Black", "Mixed", "Other", "1", "2", "3", "4"];

    public string Name => "alert-run";

    public string Description => "Alert state machine + routing + email and chart composition for a national month";

    public Task<IReadOnlyList<Metric>> RunAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var reference = ReferenceData.Embedded;
        var trusts = reference.TrustsActiveIn(new Period(2026, 10)).Select(t => t.Code).ToList();
        var contacts = new ContactDirectory(reference.LmnsList.Select(l => new Contact(ContactScope.Lmns, l.Code, $"{l.Name} lead", $"lead.{l.Code.ToLowerInvariant()}@nhs.example")));
        var run = new AlertRun(contacts, new NotificationComposer(new AlertEmailRenderer(reference), ForestPlotRenderer.RenderPng));
        var states = new List<AlertState>();
        var silences = Array.Empty<Silence>();
        var start = new Period(2025, 11);
        var now = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

        // 11 months of history: a deterministic ~3% of fingerprints hold each month.
        var history = Stopwatch.StartNew();
        for (var m = 0; m < 11; m++)
        {
            var outcome = run.Evaluate(Month(start.AddMonths(m), trusts, reference), states, silences, now);
            states = Apply(states, outcome.Decision.Upserts);
        }

        history.Stop();
        var month = Month(start.AddMonths(11), trusts, reference);
        var watch = Stopwatch.StartNew();
        var decision = AlertEngine.Evaluate(month, states, silences, now);
        var engineMs = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        var full = run.Evaluate(month, states, silences, now);
        var fullMs = watch.Elapsed.TotalMilliseconds;

        IReadOnlyList<Metric> metrics =
        [
            new("trusts evaluated", trusts.Count, "trusts"),
            new("fingerprints evaluated", trusts.Count * 18 * Groups.Length, "count"),
            new("alerts stored (12-month history)", states.Count, "alerts"),
            new("state machine, one month", engineMs, "ms"),
            new("events", decision.Events.Count, "count"),
            new("notices", decision.Notices.Count, "count"),
            new("whole run incl. emails and PNGs", fullMs, "ms"),
            new("emails composed", full.Notifications.Count, "emails"),
            new("11 months of history", history.Elapsed.TotalMilliseconds, "ms"),
        ];
        return Task.FromResult(metrics);
    }

    private static List<AlertState> Apply(List<AlertState> states, IReadOnlyList<AlertState> upserts)
    {
        var byFingerprint = states.ToDictionary(s => s.Fingerprint);
        foreach (var state in upserts)
        {
            byFingerprint[state.Fingerprint] = state;
        }

        return [.. byFingerprint.Values];
    }

    private static AlertEvaluation Month(Period period, List<string> trusts, ReferenceData reference)
    {
        var signals = new List<AlertSignal>();
        foreach (var trust in trusts)
        {
            foreach (var indicator in reference.Indicators)
            {
                foreach (var group in Groups)
                {
                    var hash = HashCode.Combine(trust, indicator.Code, group) & 0x7fffffff;
                    if ((hash + (period.Month * 7)) % 33 != 0 && hash % 41 != 0)
                    {
                        continue;
                    }

                    var breakdown = char.IsDigit(group[0]) ? "imd_quintile" : "ethnic_group";
                    var fingerprint = new AlertFingerprint(Level.Organisation, trust, indicator.Code, breakdown, group, AlertRule.Ratio);
                    signals.Add(new AlertSignal(fingerprint, AlertInputs.RouteFor(Level.Organisation, trust, period, reference),
                        hash % 3 == 0 ? AlertSeverity.Alert : AlertSeverity.Watch,
                        new AlertEvidence
                        {
                            WindowMonths = 12,
                            WindowEnd = period,
                            MonthsPresent = 12,
                            Multiplier = indicator.Multiplier,
                            Numerator = 20 + (hash % 50),
                            Denominator = 2000,
                            Value = 10,
                            ValueCiLower = 6,
                            ValueCiUpper = 15,
                            ReferenceGroupCode = breakdown == "imd_quintile" ? "5" : "White",
                            ReferenceNumerator = 60,
                            ReferenceDenominator = 9000,
                            ReferenceValue = 6.7,
                            Ratio = 1.5,
                            RatioCiLower95 = 1.1,
                            RatioCiUpper95 = 2.0,
                            RatioCiLower998 = 1.0,
                            RatioCiUpper998 = 2.3,
                            RuleText = "benchmark",
                        }));
                }
            }
        }

        return new AlertEvaluation(period, [.. trusts.Select(t => new EvaluatedUnit(Level.Organisation, t, EvaluatedUnit.DetectionRules))], signals, []);
    }
}
