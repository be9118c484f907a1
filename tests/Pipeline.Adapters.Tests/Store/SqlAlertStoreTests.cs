using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Adapters.Store;
using Pipeline.Core.Alerts;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.Adapters.Tests.Store;

/// <summary>Alert states, observations, events and silences round-trip through a real SQLite file.</summary>
public sealed class SqlAlertStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private static readonly AlertFingerprint Fingerprint = new(Level.Organisation, "R0A", "stillbirth", "ethnic_group", "Black", AlertRule.Ratio);
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-alerts-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_decision_saved_reads_back_as_the_same_states_with_their_observations_and_events()
    {
        var store = await StoreAsync();
        var evaluation = new AlertEvaluation(
            new Period(2026, 10),
            [new EvaluatedUnit(Level.Organisation, "R0A", EvaluatedUnit.DetectionRules)],
            [new AlertSignal(Fingerprint, new AlertRoute(RoutingScope.Lmns, "QOP"), AlertSeverity.Alert,
                new AlertEvidence { WindowMonths = 12, WindowEnd = new Period(2026, 10), Ratio = 1.9, Numerator = 12, Denominator = 830, RuleText = "held" })],
            []);
        var decision = AlertEngine.Evaluate(evaluation, [], [], Now);

        await store.RunInTransactionAsync((session, ct) => session.Alerts.SaveAsync(decision.Upserts, decision.Events, ct), Ct);

        var (loaded, events) = await store.ReadAsync(
            async (session, ct) => (
                Assert.Single(await session.Alerts.LoadStatesAsync([(Level.Organisation, "R0A")], ct)),
                await session.Alerts.CountEventsAsync(Fingerprint.ToString(), ct)),
            Ct);
        var saved = Assert.Single(decision.Upserts);
        Assert.Equal(saved with { Observations = [] }, loaded with { Observations = [] });
        Assert.Equal(saved.Observations, loaded.Observations);
        Assert.Equal(1, events);
        Assert.True(AlertEngine.Evaluate(evaluation, [loaded], [], Now.AddHours(1)).IsEmpty);
    }

    [Fact]
    public async Task Saving_states_again_in_the_same_and_a_later_transaction_leaves_exactly_the_last_saved_rows()
    {
        // The save statements are compiled once per transaction and re-bound per row: a value bound for one row must never
        // leak into the next (nulls after values), and an updated alert must lose the observations it no longer has.
        var store = await StoreAsync();
        var other = Fingerprint with { GroupCode = "Asian" };
        var evidence = new AlertEvidence
        {
            WindowMonths = 12, WindowEnd = new Period(2026, 9), Ratio = 1.7, Numerator = 9, Denominator = 700, RuleText = "held",
        };
        var first = new AlertState
        {
            Fingerprint = Fingerprint,
            Route = new AlertRoute(RoutingScope.Lmns, "QOP"),
            Status = AlertStatus.Firing,
            Severity = AlertSeverity.Alert,
            FiringSince = new Period(2026, 8),
            LastHeld = new Period(2026, 9),
            LastEvaluated = new Period(2026, 9),
            Evidence = evidence,
            Observations =
            [
                new(new Period(2026, 8), AlertSeverity.Watch, evidence),
                new(new Period(2026, 9), AlertSeverity.Alert, evidence),
            ],
            NotifiedStatus = AlertStatus.Firing,
            NotifiedSeverity = AlertSeverity.Alert,
            NotifiedPeriod = new Period(2026, 9),
            NotificationCount = 1,
            UpdatedAt = Now,
        };
        var second = first with
        {
            Fingerprint = other,
            Route = new AlertRoute(RoutingScope.Region, "Y60"),
            Severity = AlertSeverity.Watch,
            Observations = [new(new Period(2026, 9), null, null)],
            NotifiedStatus = null,
            NotifiedSeverity = null,
            NotifiedPeriod = null,
            NotificationCount = 0,
        };
        var resolved = first with
        {
            Status = AlertStatus.Resolved,
            ResolvedAt = new Period(2026, 10),
            LastEvaluated = new Period(2026, 10),
            Observations = [.. first.Observations, new(new Period(2026, 10), null, null)],
            NotifiedStatus = null,
            NotifiedSeverity = null,
            NotifiedPeriod = null,
            UpdatedAt = Now.AddHours(1),
        };
        var fired = new AlertEvent(
            Fingerprint, new Period(2026, 8), AlertEventKind.Fired, null, AlertStatus.Firing, null, AlertSeverity.Watch, evidence, Now);
        var resolvedEvent = fired with
        {
            Period = new Period(2026, 10), Kind = AlertEventKind.Resolved, OldStatus = AlertStatus.Firing, NewStatus = AlertStatus.Resolved,
            OldSeverity = AlertSeverity.Alert, NewSeverity = AlertSeverity.Alert, RecordedAt = Now.AddHours(1),
        };

        await store.RunInTransactionAsync(
            async (session, ct) =>
            {
                await session.Alerts.SaveAsync([first, second], [fired], ct);
                await session.Alerts.SaveAsync([resolved], [resolvedEvent], ct);
            },
            Ct);
        var laterSecond = second with
        {
            Observations = [], Severity = AlertSeverity.Alert, NotificationCount = 2, UpdatedAt = Now.AddDays(1),
        };
        await store.RunInTransactionAsync((session, ct) => session.Alerts.SaveAsync([laterSecond], [], ct), Ct);

        var (states, events) = await store.ReadAsync(
            async (session, ct) => (
                await session.Alerts.LoadStatesAsync([(Level.Organisation, "R0A")], ct),
                (await session.Alerts.CountEventsAsync(Fingerprint.ToString(), ct),
                    await session.Alerts.CountEventsAsync(other.ToString(), ct))),
            Ct);
        var byFingerprint = states.ToDictionary(s => s.Fingerprint);
        Assert.Equal(2, states.Count);
        Assert.Equal(resolved with { Observations = [] }, byFingerprint[Fingerprint] with { Observations = [] });
        Assert.Equal(resolved.Observations, byFingerprint[Fingerprint].Observations);
        Assert.Equal(laterSecond, byFingerprint[other] with { Observations = [] });
        Assert.Empty(byFingerprint[other].Observations);
        Assert.Equal((2, 0), events);
    }

    [Fact]
    public async Task A_run_from_a_period_replaces_observations_from_it_on_and_a_digest_save_leaves_them_as_stored()
    {
        // The observations before a run's first period are stored already (#18); from it on they are replaced, a removed one
        // included (an inhibited month has no observation). The result is what replacing them all leaves.
        var store = await StoreAsync();
        var evidence = new AlertEvidence { WindowMonths = 12, WindowEnd = new Period(2026, 9), Ratio = 1.7, RuleText = "held" };
        AlertObservation Held(int month) => new(new Period(2026, month), AlertSeverity.Alert, evidence);
        var stored = new AlertState
        {
            Fingerprint = Fingerprint,
            Route = new AlertRoute(RoutingScope.Lmns, "QOP"),
            Status = AlertStatus.Firing,
            Severity = AlertSeverity.Alert,
            FiringSince = new Period(2026, 5),
            LastHeld = new Period(2026, 8),
            LastEvaluated = new Period(2026, 8),
            Evidence = evidence,
            Observations = [Held(5), Held(6), Held(7), Held(8)],
            UpdatedAt = Now,
        };
        await store.RunInTransactionAsync((session, ct) => session.Alerts.SaveAsync([stored], [], ct), Ct);

        // A run over July to September: July re-observed (not held), August inhibited (removed), September new.
        var rerun = stored with
        {
            LastEvaluated = new Period(2026, 9),
            Observations = [Held(5), Held(6), new(new Period(2026, 7), null, null), Held(9)],
            UpdatedAt = Now.AddHours(1),
        };
        await store.RunInTransactionAsync((session, ct) => session.Alerts.SaveAsync([rerun], [], new Period(2026, 7), ct), Ct);
        var afterRun = await LoadAsync();
        Assert.Equal(rerun.Observations, afterRun.Observations);

        // A digest tells the recipients: the row changes, the observations stay exactly as stored.
        var told = afterRun with { NotifiedStatus = AlertStatus.Firing, NotificationCount = 1, Observations = [] };
        await store.RunInTransactionAsync((session, ct) => session.Alerts.SaveToldAsync([told], ct), Ct);
        var afterDigest = await LoadAsync();
        Assert.Equal((AlertStatus.Firing, 1), (afterDigest.NotifiedStatus!.Value, afterDigest.NotificationCount));
        Assert.Equal(rerun.Observations, afterDigest.Observations);

        async Task<AlertState> LoadAsync() => Assert.Single(await store.ReadAsync(
            (session, ct) => session.Alerts.LoadStatesAsync([(Level.Organisation, "R0A")], ct), Ct));
    }

    [Fact]
    public async Task Runs_loading_checkpoints_decide_what_whole_histories_decide_through_resubmissions_of_any_month()
    {
        // Forty trusts, each with two alerts and fourteen months of random results (quiet, watch, alert, or not evaluated),
        // evaluated in order with random resubmissions (an earlier month changed, then every later month re-evaluated, as
        // the evaluator does). Each run loads its states as the evaluator does (from its first period, checkpointed) and
        // saves through the store; beside it the same runs go through the engine with whole histories in memory.
        var store = await StoreAsync();
        var random = new Random(18);
        var route = new AlertRoute(RoutingScope.Lmns, "QOP");
        var first = new Period(2025, 1);
        var checkpointed = 0;
        for (var t = 0; t < 40; t++)
        {
            var unit = (Level.Organisation, $"T{t:00}");
            AlertFingerprint[] fingerprints =
            [
                Fingerprint with { OrganisationCode = unit.Item2 },
                Fingerprint with { OrganisationCode = unit.Item2, GroupCode = "Asian" },
            ];
            var results = new int[14, 2];
            var inMemory = new Dictionary<AlertFingerprint, AlertState>();
            for (var month = 0; month < 14; month++)
            {
                Roll(month);
                await RunAsync(month, month);
                if (month >= 2 && random.NextDouble() < 0.35)
                {
                    var resubmitted = random.Next(0, month);
                    Roll(resubmitted);
                    await RunAsync(resubmitted, month);
                }
            }

            var whole = (await store.ReadAsync((session, ct) => session.Alerts.LoadStatesAsync([unit], ct), Ct))
                .ToDictionary(s => s.Fingerprint);
            Assert.Equal(inMemory.Count, whole.Count);
            Assert.All(inMemory.Values, s =>
            {
                Assert.Equal(s with { Observations = [] }, whole[s.Fingerprint] with { Observations = [] });
                Assert.Equal(s.Observations, whole[s.Fingerprint].Observations);
            });

            void Roll(int month)
            {
                for (var f = 0; f < 2; f++)
                {
                    results[month, f] = random.Next(0, 8) switch { 0 => 3, < 4 => 0, < 6 => 1, _ => 2 };
                }
            }

            AlertEvaluation Evaluation(int month)
            {
                var period = first.AddMonths(month);
                var signals = Enumerable.Range(0, 2).Where(f => results[month, f] is 1 or 2)
                    .Select(f => new AlertSignal(fingerprints[f], route, (AlertSeverity)results[month, f], new AlertEvidence
                    {
                        WindowMonths = 12, WindowEnd = period, Ratio = 1.5 + month, RuleText = "held",
                    }))
                    .ToList();
                // A month in which neither alert was evaluated has no observation (as a month without accepted data).
                IReadOnlyList<EvaluatedUnit> evaluated = results[month, 0] == 3 && results[month, 1] == 3
                    ? [] : [new EvaluatedUnit(Level.Organisation, unit.Item2, EvaluatedUnit.DetectionRules)];
                return new AlertEvaluation(period, evaluated, signals, []);
            }

            async Task RunAsync(int from, int to)
            {
                var expectedEvents = new List<AlertEvent>();
                for (var month = from; month <= to; month++)
                {
                    var decision = AlertEngine.Evaluate(Evaluation(month), inMemory.Values, [], Now);
                    decision.Upserts.ToList().ForEach(s => inMemory[s.Fingerprint] = s);
                    expectedEvents.AddRange(decision.Events);
                }

                var actualEvents = await store.WriteAsync(
                    async (session, ct) =>
                    {
                        var states = (await session.Alerts.LoadStatesAsync([unit], first.AddMonths(from), ct))
                            .ToDictionary(s => s.Fingerprint);
                        checkpointed += states.Values.Count(s => s.Checkpoint is not null);
                        var upserts = new Dictionary<AlertFingerprint, AlertState>();
                        var events = new List<AlertEvent>();
                        for (var month = from; month <= to; month++)
                        {
                            var decision = AlertEngine.Evaluate(Evaluation(month), states.Values, [], Now);
                            decision.Upserts.ToList().ForEach(s => (states[s.Fingerprint], upserts[s.Fingerprint]) = (s, s));
                            events.AddRange(decision.Events);
                        }

                        await session.Alerts.SaveAsync([.. upserts.Values], events, first.AddMonths(from), ct);
                        return events;
                    },
                    Ct);
                Assert.Equal(expectedEvents, actualEvents);
            }
        }

        // The runs did read checkpoints (most alerts, most runs), not whole histories.
        Assert.True(checkpointed > 400, $"only {checkpointed} states were loaded with a checkpoint");
    }

    [Fact]
    public async Task A_firing_alert_loads_only_its_months_since_it_last_held_and_a_resolved_one_only_the_run_s_months()
    {
        // Black holds for twelve months then is quiet once (still firing); Asian holds in the first three months and resolves.
        var store = await StoreAsync();
        var asian = Fingerprint with { GroupCode = "Asian" };
        var route = new AlertRoute(RoutingScope.Lmns, "QOP");
        var first = new Period(2025, 10);
        var states = new Dictionary<AlertFingerprint, AlertState>();
        for (var i = 0; i < 13; i++)
        {
            var period = first.AddMonths(i);
            var evidence = new AlertEvidence { WindowMonths = 12, WindowEnd = period, Ratio = 1.9, RuleText = "held" };
            var signals = new[] { (Fingerprint, i < 12), (asian, i < 3) }.Where(s => s.Item2)
                .Select(s => new AlertSignal(s.Item1, route, AlertSeverity.Alert, evidence)).ToList();
            var decision = AlertEngine.Evaluate(
                new AlertEvaluation(period, [new EvaluatedUnit(Level.Organisation, "R0A", EvaluatedUnit.DetectionRules)], signals, []),
                states.Values, [], Now);
            decision.Upserts.ToList().ForEach(s => states[s.Fingerprint] = s);
            await store.RunInTransactionAsync((session, ct) => session.Alerts.SaveAsync(decision.Upserts, decision.Events, period, ct), Ct);
        }

        // The next month: the firing alert brings its quiet month after its last hold, the resolved one nothing.
        var next = await LoadAsync(first.AddMonths(13));
        var black = Assert.Single(next, s => s.Fingerprint == Fingerprint);
        Assert.Equal(
            (AlertStatus.Firing, first.AddMonths(11), first),
            (black.Checkpoint!.Status, black.Checkpoint.Through, black.Checkpoint.FiringSince));
        Assert.Equal([new AlertObservation(first.AddMonths(12), null, null)], black.Observations);
        var resolved = Assert.Single(next, s => s.Fingerprint == asian);
        Assert.Equal((AlertStatus.Resolved, first.AddMonths(12)), (resolved.Checkpoint!.Status, resolved.Checkpoint.Through));
        Assert.Empty(resolved.Observations);

        // Re-evaluating the latest month again (the next trust's file of the month): still a few observations each.
        var again = await LoadAsync(first.AddMonths(12));
        Assert.Equal([first.AddMonths(12)], again.Single(s => s.Fingerprint == Fingerprint).Observations.Select(o => o.Period));
        Assert.Equal([first.AddMonths(12)], again.Single(s => s.Fingerprint == asian).Observations.Select(o => o.Period));

        // From a month inside the firing spell: as of the month before it, with what came after.
        var resubmission = Assert.Single(await LoadAsync(first.AddMonths(5)), s => s.Fingerprint == Fingerprint);
        Assert.Equal(first.AddMonths(4), resubmission.Checkpoint!.Through);
        Assert.Equal(8, resubmission.Observations.Count);

        // From the month the spell began: whole. A digest reads checkpoints.
        Assert.Null(Assert.Single(await LoadAsync(first), s => s.Fingerprint == Fingerprint).Checkpoint);
        var digest = await store.ReadAsync((session, ct) => session.Alerts.ListRouteAsync(route, ct), Ct);
        Assert.All(digest, s => Assert.True(s.Checkpoint is not null && s.Observations.Count <= 1));

        async Task<IReadOnlyList<AlertState>> LoadAsync(Period from) => await store.ReadAsync(
            (session, ct) => session.Alerts.LoadStatesAsync([(Level.Organisation, "R0A")], from, ct), Ct);
    }

    [Fact]
    public async Task Silences_are_stored_listed_and_removed()
    {
        var store = await StoreAsync();
        var silence = new Silence("s1", SilenceMatcher.TryParse("organisation|R0A")!, "coding fix under way", "analyst", Now, Now.AddDays(7));

        await store.RunInTransactionAsync((session, ct) => session.Alerts.AddSilenceAsync(silence, Now, ct), Ct);

        Assert.Equal([silence], await store.ReadAsync((session, ct) => session.Alerts.ListSilencesAsync(ct), Ct));
        Assert.True(await store.WriteAsync((session, ct) => session.Alerts.RemoveSilenceAsync("s1", ct), Ct));
        Assert.False(await store.WriteAsync((session, ct) => session.Alerts.RemoveSilenceAsync("s1", ct), Ct));
        Assert.Empty(await store.ReadAsync((session, ct) => session.Alerts.ListSilencesAsync(ct), Ct));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<SqliteStore> StoreAsync()
    {
        var store = SqliteStore.ForDataDirectory(_directory, ReferenceData.Embedded, new StoreSettings(15), new FakeTimeProvider());
        await store.MigrateAsync(Ct);
        return store;
    }
}
