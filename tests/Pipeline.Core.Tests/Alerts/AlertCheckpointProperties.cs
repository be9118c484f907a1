using CsCheck;
using Pipeline.Core.Alerts;
using Pipeline.Core.Model;
using static Pipeline.Core.Tests.Alerts.AlertScenario;

namespace Pipeline.Core.Tests.Alerts;

/// <summary>
/// An alert loaded with a checkpoint in place of its older observations (#18) must evaluate later periods exactly as the
/// same alert loaded whole: same states, same events, same notices, whatever the history, the policy and the silences.
/// </summary>
public class AlertCheckpointProperties
{
    private static readonly AlertFingerprint Asian = BlackStillbirths with { GroupCode = "Asian" };

    [Fact]
    public void Evaluating_later_periods_from_a_checkpoint_decides_exactly_what_the_whole_history_decides()
    {
        // Per month and per alert: 0 = quiet, 1 = watch, 2 = alert, 3 = not evaluated (no observation). The split is the month
        // from which the store hands out checkpointed states; the policy resolves after 1 to 3 quiet months.
        var month = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 3]);
        Gen.Select(month.Array[2, 30], Gen.Int[1, 29], Gen.Int[1, 3], Gen.Bool).Sample((months, split, resolveAfter, silenced) =>
        {
            var policy = AlertPolicy.Default with { ResolveAfter = resolveAfter };
            var whole = new AlertScenario { Policy = policy };
            if (silenced)
            {
                whole.Silences.Add(new Silence(
                    "s1",
                    SilenceMatcher.TryParse("organisation|R0A|*|*|Asian|*")!,
                    "known",
                    "lead",
                    whole.Now.AddDays(-1),
                    whole.Now.AddDays(1)));
            }

            AlertScenario? checkpointed = null;
            for (var i = 0; i < months.Length; i++)
            {
                var period = new Period(2026, 1).AddMonths(i).ToString();
                var (black, asian) = months[i];
                var evaluated = black != 3 || asian != 3;
                var signals = new[] { (BlackStillbirths, black), (Asian, asian) }
                    .Where(s => s.Item2 is 1 or 2)
                    .Select(s => Signal(period, (AlertSeverity)s.Item2, s.Item1, ratio: 1.5 + i))
                    .ToArray();
                if (i == Math.Min(split, months.Length - 1))
                {
                    checkpointed = whole.Checkpointed();
                }

                if (!evaluated)
                {
                    continue;
                }

                var evaluation = Evaluation(period, signals);
                var expected = whole.Evaluate(evaluation);
                if (checkpointed is null)
                {
                    continue;
                }

                var actual = checkpointed.Evaluate(evaluation);
                var same = Normalised(expected.Upserts).SequenceEqual(Normalised(actual.Upserts))
                    && expected.Events.SequenceEqual(actual.Events)
                    && Normalised(expected.Notices.Select(n => n.Alert)).SequenceEqual(Normalised(actual.Notices.Select(n => n.Alert)))
                    && expected.Notices.Select(n => (n.Kind, n.PreviousSeverity))
                        .SequenceEqual(actual.Notices.Select(n => (n.Kind, n.PreviousSeverity)))
                    && expected.Silenced.Count == actual.Silenced.Count;
                if (!same)
                {
                    throw new InvalidOperationException(
                        $"{period} (checkpointed from month {split}, resolve after {resolveAfter}) decided differently");
                }
            }

            // What each path keeps after the checkpoint is the tail of the whole history.
            foreach (var state in checkpointed?.States ?? [])
            {
                var full = whole.State(state.Fingerprint);
                var after = state.Checkpoint?.Through ?? new Period(1, 1); // an alert opened after the split is whole
                if (!full.Observations.Where(o => o.Period > after).SequenceEqual(state.Observations))
                {
                    throw new InvalidOperationException($"{state.Fingerprint} kept other observations after its checkpoint");
                }
            }
        }, iter: 2000);
    }

    [Fact]
    public void A_checkpointed_alert_refuses_to_re_evaluate_a_period_its_checkpoint_stands_for()
    {
        var scenario = new AlertScenario();
        scenario.Run("2026-01", Signal("2026-01"));
        scenario.Run("2026-02", Signal("2026-02"));

        var checkpointed = scenario.Checkpointed();

        var error = Assert.Throws<InvalidOperationException>(() => checkpointed.Run("2026-02"));
        Assert.Contains("2026-02", error.Message, StringComparison.Ordinal);
        Assert.Contains("whole history", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => Firing.At(checkpointed.States, new Period(2026, 1), AlertPolicy.Default));
        Assert.Single(Firing.At(checkpointed.States, new Period(2026, 2), AlertPolicy.Default));
    }

    private static IEnumerable<AlertState> Normalised(IEnumerable<AlertState> states) =>
        states.Select(s => s with { Observations = [], Checkpoint = null });
}
