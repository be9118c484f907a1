using CsCheck;
using Pipeline.Core.Alerts;
using Pipeline.Core.Model;
using static Pipeline.Core.Tests.Alerts.AlertScenario;

namespace Pipeline.Core.Tests.Alerts;

public class AlertIdempotenceProperties
{
    private static readonly AlertFingerprint Asian = BlackStillbirths with { GroupCode = "Asian" };

    /// <summary>
    /// For any history of monthly evaluations (including re-runs of older months), evaluating the latest inputs a second
    /// time after applying the decision changes nothing: no writes, no events, no notices.
    /// </summary>
    [Fact]
    public void Applying_a_decision_then_evaluating_the_same_inputs_again_is_a_no_op()
    {
        // Each step: month offset 0..11 and, for each of two alerts, 0 = quiet, 1 = watch, 2 = alert.
        var step = Gen.Select(Gen.Int[0, 11], Gen.Int[0, 2], Gen.Int[0, 2]);
        step.Array[1, 30].Sample(steps =>
        {
            var scenario = new AlertScenario();
            foreach (var (month, black, asian) in steps)
            {
                var period = new Period(2026, 1).AddMonths(month).ToString();
                var signals = new[] { (BlackStillbirths, black), (Asian, asian) }
                    .Where(s => s.Item2 > 0)
                    .Select(s => Signal(period, (AlertSeverity)s.Item2, s.Item1))
                    .ToArray();
                scenario.Run(period, signals);
                var again = scenario.Run(period, signals);
                if (!again.IsEmpty)
                {
                    throw new InvalidOperationException($"Re-evaluating {period} changed something: {again}");
                }
            }
        }, iter: 500);
    }

    /// <summary>
    /// The lifecycle depends only on each period's final result, not on the order the periods were evaluated in, provided
    /// the caller follows the resubmission protocol (docs/alerts.md): after evaluating an older period it re-evaluates
    /// every later period already evaluated, oldest first (what <c>RecomputeScope.Affected</c> lists). A history
    /// delivered late, out of order or with resubmissions then ends in the same state as one evaluated in order.
    /// </summary>
    [Fact]
    public void The_final_state_depends_on_each_periods_result_not_on_the_order_of_evaluation()
    {
        var history = Gen.Int[0, 2].Array[12];
        Gen.Select(history, Gen.Int[0, 11].Array[1, 24]).Sample((severities, order) =>
        {
            AlertState Final(IEnumerable<int> months)
            {
                var scenario = new AlertScenario();
                var latest = -1;
                void Run(int month)
                {
                    var period = new Period(2026, 1).AddMonths(month).ToString();
                    scenario.Run(period, severities[month] > 0 ? [Signal(period, (AlertSeverity)severities[month])] : []);
                }

                foreach (var month in months)
                {
                    Run(month);
                    for (var later = month + 1; later <= latest; later++)
                    {
                        Run(later);
                    }

                    latest = Math.Max(latest, month);
                }

                return scenario.States.SingleOrDefault() ?? throw new InvalidOperationException("no alert");
            }

            if (severities.All(s => s == 0))
            {
                return;
            }

            // Scrambled order with repeats, then every month once more in a scrambled order.
            var scrambled = order.Concat(Enumerable.Range(0, 12).OrderBy(m => (m * 7) % 12)).ToList();
            var inOrder = Final(Enumerable.Range(0, 12));
            var shuffled = Final(scrambled);
            var expected = (inOrder.Status, inOrder.Severity, inOrder.FiringSince, inOrder.LastHeld, inOrder.ResolvedAt);
            var actual = (shuffled.Status, shuffled.Severity, shuffled.FiringSince, shuffled.LastHeld, shuffled.ResolvedAt);
            // Quiet months before the alert first held are only recorded when the alert already existed: they change nothing.
            static IEnumerable<AlertObservation> FromFirstHeld(AlertState state) => state.Observations.SkipWhile(o => !o.Held);
            if (expected != actual || !FromFirstHeld(inOrder).SequenceEqual(FromFirstHeld(shuffled)))
            {
                throw new InvalidOperationException($"in order {expected} but scrambled {actual}");
            }
        }, iter: 300);
    }
}
