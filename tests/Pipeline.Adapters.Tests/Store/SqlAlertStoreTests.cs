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
