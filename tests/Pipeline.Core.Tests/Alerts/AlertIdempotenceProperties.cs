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
}
