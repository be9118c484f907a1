using Pipeline.Core.Alerts;
using Pipeline.Core.Model;
using Pipeline.Core.Detection;

namespace Pipeline.Core.Tests.Alerts;

/// <summary>
/// Test harness: a tiny in-memory alert store that applies each decision as the SQL store will (upsert states, append
/// events, queue notices), so tests can run months of evaluations and look at the whole history.
/// </summary>
internal sealed class AlertScenario
{
    public static readonly AlertRoute Lmns = new(RoutingScope.Lmns, "QOP");

    public static readonly AlertFingerprint BlackStillbirths =
        new(Level.Organisation, "R0A", "stillbirth", "ethnic_group", "Black", AlertRule.Ratio);

    private readonly Dictionary<AlertFingerprint, AlertState> _states = [];

    public List<AlertEvent> Events { get; } = [];

    public List<AlertNotice> Notices { get; } = [];

    public List<Silence> Silences { get; } = [];

    public AlertPolicy Policy { get; init; } = AlertPolicy.Default;

    public DateTimeOffset Now { get; set; } = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    public IReadOnlyCollection<AlertState> States => _states.Values;

    public AlertState State(AlertFingerprint fingerprint) => _states[fingerprint];

    /// <summary>
    /// The same alerts as the SQL store loads them for a run of later periods: each with its <see cref="AlertCheckpoint"/> and
    /// only the observations after it (SqlAlertStore.LoadStatesAsync with a first evaluated period).
    /// </summary>
    public AlertScenario Checkpointed()
    {
        var copy = new AlertScenario { Policy = Policy, Now = Now };
        copy.Silences.AddRange(Silences);
        foreach (var (fingerprint, state) in _states)
        {
            // What SqlAlertStore derives for a run of later months: at the last held month while firing (no quiet month
            // counted there), at the latest evaluated one once resolved.
            var through = state.Status == AlertStatus.Firing ? state.LastHeld : state.LastEvaluated;
            var checkpoint = new AlertCheckpoint(
                through, state.Status, state.Severity, state.FiringSince, state.LastHeld, state.ResolvedAt, state.Evidence);
            copy._states[fingerprint] = state with
            {
                Checkpoint = checkpoint,
                Observations = [.. state.Observations.Where(o => o.Period > checkpoint.Through)],
            };
        }

        return copy;
    }

    public AlertDecision Evaluate(AlertEvaluation evaluation)
    {
        var decision = AlertEngine.Evaluate(evaluation, _states.Values, Silences, Now, Policy);
        foreach (var state in decision.Upserts)
        {
            _states[state.Fingerprint] = state;
        }

        Events.AddRange(decision.Events);
        Notices.AddRange(decision.Notices);
        return decision;
    }

    /// <summary>Evaluates trust R0A for <paramref name="period"/> with the given signals.</summary>
    public AlertDecision Run(string period, params AlertSignal[] signals) =>
        Evaluate(Evaluation(period, signals));

    public static AlertEvaluation Evaluation(string period, params AlertSignal[] signals) =>
        new(Period.Parse(period), [new EvaluatedUnit(Level.Organisation, "R0A", EvaluatedUnit.DetectionRules)], signals, []);

    public static AlertSignal Signal(string period, AlertSeverity severity = AlertSeverity.Alert, AlertFingerprint? fingerprint = null, double ratio = 1.9) =>
        new(fingerprint ?? BlackStillbirths, Lmns, severity, Evidence(period, ratio));

    public static AlertEvidence Evidence(string period, double ratio = 1.9) => new()
    {
        WindowMonths = 12,
        WindowEnd = Period.Parse(period),
        MonthsPresent = 12,
        Multiplier = 1000,
        Numerator = 19,
        Denominator = 2410,
        Value = 7.88,
        ValueCiLower = 5.05,
        ValueCiUpper = 12.3,
        ReferenceGroupCode = "White",
        ReferenceNumerator = 41,
        ReferenceDenominator = 9870,
        ReferenceValue = 4.15,
        ReferenceCiLower = 3.06,
        ReferenceCiUpper = 5.63,
        Ratio = ratio,
        RatioCiLower95 = 1.1,
        RatioCiUpper95 = 3.27,
        RatioCiLower998 = 1.01,
        RatioCiUpper998 = 4.1,
        RuleText = "ratio ≥ 1.25 and its 99.8% CI excludes 1; both groups have ≥ 5 events",
    };
}
