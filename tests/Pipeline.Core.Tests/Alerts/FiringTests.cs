using Pipeline.Core.Alerts;
using Pipeline.Core.Model;
using static Pipeline.Core.Tests.Alerts.AlertScenario;

namespace Pipeline.Core.Tests.Alerts;

public class FiringTests
{
    [Fact]
    public void An_alert_fires_from_its_first_holding_period_through_one_quiet_month_and_not_after_the_second()
    {
        var scenario = new AlertScenario();
        scenario.Run("2026-07", Signal("2026-07", AlertSeverity.Watch));
        scenario.Run("2026-08", Signal("2026-08"));
        scenario.Run("2026-09");
        scenario.Run("2026-10");
        var state = scenario.State(BlackStillbirths);

        FiringAlert? At(string period) => Firing.At([state], Period.Parse(period), scenario.Policy).SingleOrDefault();

        Assert.Null(At("2026-06"));
        Assert.Equal((AlertSeverity.Watch, Period.Parse("2026-07")), (At("2026-07")!.Severity, At("2026-07")!.Since));
        Assert.Equal(AlertSeverity.Alert, At("2026-08")!.Severity);
        Assert.Equal((AlertSeverity.Alert, Period.Parse("2026-07")), (At("2026-09")!.Severity, At("2026-09")!.Since));
        Assert.Null(At("2026-10"));
        // The stored status (what `pipeline alerts` lists) is the definition applied at the latest evaluated period.
        Assert.Equal(AlertStatus.Resolved, state.Status);
        Assert.Empty(Firing.At([state], state.LastEvaluated, scenario.Policy));
    }

    [Theory]
    [InlineData(Pipeline.Core.Detection.Signal.Alert, true)]
    [InlineData(Pipeline.Core.Detection.Signal.Watch, true)]
    [InlineData(Pipeline.Core.Detection.Signal.None, false)]
    public void A_rule_holds_when_the_rows_signal_is_alert_or_watch(Pipeline.Core.Detection.Signal signal, bool holds) =>
        Assert.Equal(holds, Firing.RuleHolds(signal));
}
