using System.Data.Common;
using System.Globalization;
using Dapper;
using Pipeline.Core.Alerts;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;

namespace Pipeline.Adapters.Store;

/// <summary>
/// Alert state, history and silences in the SQL store (<c>alert</c>, <c>alert_observation</c>, <c>alert_event</c>,
/// <c>silence</c>), read and written inside the caller's transaction so the state, its events and the outbox rows that
/// announce it commit together (docs/alerts.md §6).
/// </summary>
public sealed class SqlAlertStore(StoreSession session)
{
    private DbConnection connection => session.Connection;

    private DbTransaction transaction => session.Transaction;

    private SqlDialect dialect => session.Dialect;

    private const string AlertColumns =
        "fingerprint, route_scope, route_code, status, severity, firing_since, last_held, resolved_at, last_evaluated, evidence_json, " +
        "notified_status, notified_severity, notified_period, notified_count, updated_at";

    /// <summary>Every alert of these organisations (at their level), with all of its observations.</summary>
    public Task<IReadOnlyList<AlertState>> LoadStatesAsync(IEnumerable<(Level Level, string OrganisationCode)> units, CancellationToken cancellationToken) =>
        LoadStatesAsync(units, WholeHistories, cancellationToken);

    /// <summary>
    /// Every alert of these organisations, ready for a run that evaluates <paramref name="evaluatingFrom"/> and later periods:
    /// each comes with an <see cref="AlertCheckpoint"/> for its lifecycle just before that period and only the observations
    /// after the checkpoint (the run's own periods, and a firing alert's quiet months since it last held), instead of its
    /// whole history. Only an alert whose latest firing spell began at or after <paramref name="evaluatingFrom"/> comes whole:
    /// the state before that period is not in its row. What a run reads no longer grows with every month the alert has
    /// existed (#18). The checkpoint is derived from the row (docs/alerts.md §2, "What a run reads"):
    /// <list type="bullet">
    /// <item>resolved before the period: the row's own lifecycle, standing for every month up to the one before;</item>
    /// <item>firing just before the period: firing since the row's <c>firing_since</c>, as of the latest month before the
    /// period at which the rule held (its severity and evidence from that observation).</item>
    /// </list>
    /// </summary>
    public async Task<IReadOnlyList<AlertState>> LoadStatesAsync(
        IEnumerable<(Level Level, string OrganisationCode)> units, Period evaluatingFrom, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(units);
        var states = new List<AlertState>();
        foreach (var (level, organisation) in units.Distinct())
        {
            states.AddRange(await QueryStatesAsync(
                "a.level = @level and a.organisation_code = @organisation",
                new { level = level.ToWire(), organisation },
                evaluatingFrom,
                cancellationToken).ConfigureAwait(false));
        }

        return states;
    }

    /// <summary>Alerts for <c>pipeline alerts</c>: optionally one status and one LMNS route, newest change first.</summary>
    public async Task<IReadOnlyList<AlertState>> ListAsync(AlertStatus? status, string? lmns, CancellationToken cancellationToken)
    {
        var states = await QueryStatesAsync(
            "(@status is null or a.status = @status) and (@lmns is null or (a.route_scope = 'lmns' and a.route_code = @lmns))",
            new { status = status?.ToWire(), lmns },
            WholeHistories,
            cancellationToken).ConfigureAwait(false);
        return [.. states.OrderByDescending(s => s.LastEvaluated).ThenBy(s => s.Fingerprint.ToString(), StringComparer.Ordinal)];
    }

    /// <summary>
    /// Every alert routed to <paramref name="route"/>, firing or resolved (what a digest is composed from). A digest reads the
    /// states, not their histories, so each comes with its <see cref="AlertCheckpoint"/>.
    /// </summary>
    public Task<IReadOnlyList<AlertState>> ListRouteAsync(AlertRoute route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        return QueryStatesAsync(
            "a.route_scope = @scope and a.route_code = @code", new { scope = route.Scope.ToWire(), code = route.Code }, Checkpointed, cancellationToken);
    }

    // Periods are yyyy-MM text, so these bound every stored period: from the first, every alert is loaded whole; from the
    // last, every alert is checkpointed.
    private static readonly Period WholeHistories = new(1, 1);

    private static readonly Period Checkpointed = new(9999, 12);

    private const string UpdateAlertSql =
        """
        update alert set route_scope = @scope, route_code = @route, status = @status, severity = @severity, firing_since = @since,
               last_held = @held, resolved_at = @resolved, last_evaluated = @evaluated, evidence_json = @evidence,
               notified_status = @notifiedStatus, notified_severity = @notifiedSeverity, notified_period = @notifiedPeriod,
               notified_count = @notifiedCount, updated_at = @updated
        where fingerprint = @fingerprint
        """;

    private static readonly string[] UpdateAlertParameters =
    [
        "@scope", "@route", "@status", "@severity", "@since", "@held", "@resolved", "@evaluated", "@evidence", "@notifiedStatus",
        "@notifiedSeverity", "@notifiedPeriod", "@notifiedCount", "@updated", "@fingerprint",
    ];

    private const string InsertAlertSql =
        $"""
        insert into alert (level, organisation_code, indicator_code, breakdown, group_code, alert_rule, {AlertColumns})
        values (@level, @organisation, @indicator, @breakdown, @grp, @rule, @fingerprint, @scope, @route, @status, @severity, @since,
                @held, @resolved, @evaluated, @evidence, @notifiedStatus, @notifiedSeverity, @notifiedPeriod, @notifiedCount, @updated)
        """;

    private static readonly string[] InsertAlertParameters =
    [
        "@level", "@organisation", "@indicator", "@breakdown", "@grp", "@rule", "@fingerprint", "@scope", "@route", "@status", "@severity",
        "@since", "@held", "@resolved", "@evaluated", "@evidence", "@notifiedStatus", "@notifiedSeverity", "@notifiedPeriod",
        "@notifiedCount", "@updated",
    ];

    private const string DeleteObservationsSql = "delete from alert_observation where fingerprint = @fingerprint";

    // Periods are stored as yyyy-MM text, so text order is month order.
    private const string DeleteObservationsFromSql = "delete from alert_observation where fingerprint = @fingerprint and period >= @from";

    private const string InsertObservationSql =
        "insert into alert_observation (fingerprint, period, severity, evidence_json) values (@fingerprint, @period, @severity, @evidence)";

    private const string InsertEventSql =
        """
        insert into alert_event (fingerprint, period, kind, old_status, new_status, old_severity, new_severity, evidence_json, recorded_at)
        values (@fingerprint, @period, @kind, @oldStatus, @newStatus, @oldSeverity, @newSeverity, @evidence, @recorded)
        """;

    private static readonly string[] InsertEventParameters =
        ["@fingerprint", "@period", "@kind", "@oldStatus", "@newStatus", "@oldSeverity", "@newSeverity", "@evidence", "@recorded"];

    /// <summary>
    /// Upserts the changed states (replacing their observations) and appends the events. Each statement is compiled once per
    /// transaction and re-bound per row (<see cref="StoreSession.Statement"/>); an alert the update did not find is inserted,
    /// and has no observations to delete (they reference it).
    /// </summary>
    public Task SaveAsync(IReadOnlyList<AlertState> upserts, IReadOnlyList<AlertEvent> events, CancellationToken cancellationToken) =>
        SaveAsync(upserts, events, ObservationsFrom.All, cancellationToken);

    /// <summary>
    /// <see cref="SaveAsync(IReadOnlyList{AlertState}, IReadOnlyList{AlertEvent}, CancellationToken)"/> for a run whose first
    /// evaluated period is <paramref name="observedFrom"/>: an alert's observations change only at evaluated periods, so only
    /// those from it on are replaced. Rewriting every month's observation of every alert on each evaluation made each month
    /// cost more than the last (#18).
    /// </summary>
    public Task SaveAsync(
        IReadOnlyList<AlertState> upserts, IReadOnlyList<AlertEvent> events, Period observedFrom, CancellationToken cancellationToken) =>
        SaveAsync(upserts, events, new ObservationsFrom(observedFrom), cancellationToken);

    /// <summary>States whose recipients were just told (a digest): their rows change, their observations do not.</summary>
    public Task SaveToldAsync(IReadOnlyList<AlertState> told, CancellationToken cancellationToken) =>
        SaveAsync(told, [], ObservationsFrom.None, cancellationToken);

    /// <summary>Which stored observations a save replaces: all, none, or those from a period on.</summary>
    private sealed record ObservationsFrom(Period? Period, bool Any = true)
    {
        public static readonly ObservationsFrom All = new((Period?)null);

        public static readonly ObservationsFrom None = new(null, Any: false);

        public bool Includes(Period period) => Any && (Period is not { } from || period >= from);
    }

    private async Task SaveAsync(
        IReadOnlyList<AlertState> upserts, IReadOnlyList<AlertEvent> events, ObservationsFrom replace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upserts);
        ArgumentNullException.ThrowIfNull(events);
        foreach (var state in upserts)
        {
            var fp = state.Fingerprint;
            var fingerprint = fp.ToString();
            var scope = state.Route.Scope.ToWire();
            var route = state.Route.Code;
            var status = state.Status.ToWire();
            var severity = state.Severity.ToWire();
            var since = state.FiringSince.ToString();
            var held = state.LastHeld.ToString();
            var resolved = state.ResolvedAt?.ToString();
            var evaluated = state.LastEvaluated.ToString();
            var evidence = AlertJson.Serialize(state.Evidence);
            var notifiedStatus = state.NotifiedStatus?.ToWire();
            var notifiedSeverity = state.NotifiedSeverity?.ToWire();
            var notifiedPeriod = state.NotifiedPeriod?.ToString();
            var notifiedCount = state.NotificationCount;
            var updatedAt = dialect.Timestamp(state.UpdatedAt);
            var updated = await session.Statement(UpdateAlertSql, UpdateAlertParameters)
                .Bind(
                    scope, route, status, severity, since, held, resolved, evaluated, evidence, notifiedStatus, notifiedSeverity,
                    notifiedPeriod, notifiedCount, updatedAt, fingerprint)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            if (updated == 0)
            {
                await session.Statement(InsertAlertSql, InsertAlertParameters)
                    .Bind(
                        fp.Level.ToWire(), fp.OrganisationCode, fp.IndicatorCode, fp.Breakdown, fp.GroupCode, fp.Rule.ToWire(), fingerprint,
                        scope, route, status, severity, since, held, resolved, evaluated, evidence, notifiedStatus, notifiedSeverity,
                        notifiedPeriod, notifiedCount, updatedAt)
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (replace.Period is { } from)
            {
                await session.Statement(DeleteObservationsFromSql, "@fingerprint", "@from").Bind(fingerprint, from.ToString())
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (replace.Any)
            {
                await session.Statement(DeleteObservationsSql, "@fingerprint").Bind(fingerprint)
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            // A new alert has none stored: all of its observations are written.
            foreach (var o in state.Observations.Where(o => updated == 0 || replace.Includes(o.Period)))
            {
                await session.Statement(InsertObservationSql, "@fingerprint", "@period", "@severity", "@evidence")
                    .Bind(fingerprint, o.Period.ToString(), o.Severity?.ToWire(), o.Evidence is { } e ? AlertJson.Serialize(e) : null)
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var e in events)
        {
            await session.Statement(InsertEventSql, InsertEventParameters)
                .Bind(
                    e.Fingerprint.ToString(), e.Period.ToString(), e.Kind.ToString().ToLowerInvariant(), e.OldStatus?.ToWire(),
                    e.NewStatus.ToWire(), e.OldSeverity?.ToWire(), e.NewSeverity.ToWire(), AlertJson.Serialize(e.Evidence),
                    dialect.Timestamp(e.RecordedAt))
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The number of <c>alert_event</c> rows of one alert (or all), for checks and the CLI.</summary>
    public async Task<int> CountEventsAsync(string? fingerprint, CancellationToken cancellationToken) =>
        Convert.ToInt32(
            await connection.ExecuteScalarAsync(Command("select count(*) from alert_event where @fp is null or fingerprint = @fp", new { fp = fingerprint }, cancellationToken))
                .ConfigureAwait(false),
            CultureInfo.InvariantCulture);

    public async Task<IReadOnlyList<Silence>> ListSilencesAsync(CancellationToken cancellationToken)
    {
        var silences = new List<Silence>();
        var reader = await connection.ExecuteReaderAsync(Command(
            "select id, matcher, reason, author, starts_at, expires_at from silence order by expires_at, id", null, cancellationToken)).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                silences.Add(new Silence(
                    reader.GetString(0),
                    SilenceMatcher.TryParse(reader.GetString(1)) ?? throw new InvalidDataException($"Silence {reader.GetString(0)} has an unreadable matcher '{reader.GetString(1)}'."),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.GetFieldValue<DateTimeOffset>(4),
                    reader.GetFieldValue<DateTimeOffset>(5)));
            }
        }

        return silences;
    }

    public Task AddSilenceAsync(Silence silence, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silence);
        return ExecuteAsync(
            "insert into silence (id, matcher, reason, author, starts_at, expires_at, created_at) values (@id, @matcher, @reason, @author, @starts, @expires, @created)",
            new
            {
                id = silence.Id,
                matcher = silence.Matcher.ToString(),
                reason = silence.Reason,
                author = silence.Author,
                starts = dialect.Timestamp(silence.StartsAt),
                expires = dialect.Timestamp(silence.ExpiresAt),
                created = dialect.Timestamp(createdAt),
            },
            cancellationToken);
    }

    /// <summary>Deletes a silence; false when there is none with that id.</summary>
    public async Task<bool> RemoveSilenceAsync(string id, CancellationToken cancellationToken) =>
        await ExecuteAsync("delete from silence where id = @id", new { id }, cancellationToken).ConfigureAwait(false) > 0;

    // The period an alert's checkpoint stands through for a run from @from (@before is the month before it); '' when the
    // alert is loaded whole. Periods are yyyy-MM text, so text order is month order and '' precedes every period.
    private const string CheckpointSql =
        """
        case
            when a.firing_since >= @from then ''
            when a.status = 'resolved' and a.resolved_at < @from then @before
            when a.last_held < @from then a.last_held
            else coalesce((select max(h.period) from alert_observation h
                           where h.fingerprint = a.fingerprint and h.severity is not null and h.period < @from), '')
        end
        """;

    // From the checkpoint's own month on (a firing checkpoint takes its severity and evidence from it): one range of the
    // primary key per alert.
    private static string ObservationsSql(string where) =>
        $"""
        select o.fingerprint, o.period, o.severity, o.evidence_json
        from alert a join alert_observation o on o.fingerprint = a.fingerprint and o.period >= ({CheckpointSql})
        where {where}
        order by o.fingerprint, o.period
        """;

    private async Task<IReadOnlyList<AlertState>> QueryStatesAsync(
        string where, object parameters, Period evaluatingFrom, CancellationToken cancellationToken)
    {
        var rows = new List<(AlertState State, string Through)>();
        var withFrom = WithFrom(parameters, evaluatingFrom);
        var reader = await connection.ExecuteReaderAsync(Command(
                $"select {AlertColumns}, {CheckpointSql} from alert a where {where}", withFrom, cancellationToken))
            .ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                var fingerprint = AlertFingerprint.TryParse(reader.GetString(0))
                    ?? throw new InvalidDataException($"alert row '{reader.GetString(0)}' is not a fingerprint.");
                var state = new AlertState
                {
                    Fingerprint = fingerprint,
                    Route = new AlertRoute(Parse<RoutingScope>(AlertNames.TryParseScope, reader.GetString(1)), reader.GetString(2)),
                    Status = Parse<AlertStatus>(AlertNames.TryParseStatus, reader.GetString(3)),
                    Severity = Parse<AlertSeverity>(AlertNames.TryParseSeverity, reader.GetString(4)),
                    FiringSince = Period.Parse(reader.GetString(5)),
                    LastHeld = Period.Parse(reader.GetString(6)),
                    ResolvedAt = Text(7) is { } r ? Period.Parse(r) : null,
                    LastEvaluated = Period.Parse(reader.GetString(8)),
                    Evidence = AlertJson.DeserializeEvidence(reader.GetString(9)),
                    NotifiedStatus = Text(10) is { } ns ? Parse<AlertStatus>(AlertNames.TryParseStatus, ns) : null,
                    NotifiedSeverity = Text(11) is { } nv ? Parse<AlertSeverity>(AlertNames.TryParseSeverity, nv) : null,
                    NotifiedPeriod = Text(12) is { } np ? Period.Parse(np) : null,
                    NotificationCount = Convert.ToInt32(reader.GetValue(13), CultureInfo.InvariantCulture),
                    UpdatedAt = reader.GetFieldValue<DateTimeOffset>(14),
                    Observations = [],
                };
                rows.Add((state, reader.GetString(15)));
            }
        }

        if (rows.Count == 0)
        {
            return [];
        }

        var observations = (await connection.QueryAsync<(string Fingerprint, string Period, string? Severity, string? Evidence)>(Command(
            ObservationsSql(where), withFrom, cancellationToken)).ConfigureAwait(false)).ToLookup(o => o.Fingerprint, StringComparer.Ordinal);
        return [.. rows.Select(r => WithHistory(r.State, r.Through, evaluatingFrom, [.. observations[r.State.Fingerprint.ToString()].Select(o => new AlertObservation(
            Period.Parse(o.Period),
            o.Severity is { } s ? Parse<AlertSeverity>(AlertNames.TryParseSeverity, s) : null,
            o.Evidence is { } e ? AlertJson.DeserializeEvidence(e) : null))]))];
    }

    /// <summary>The state with the observations loaded for it and, unless it came whole, its checkpoint (see <see cref="CheckpointSql"/>).</summary>
    private static AlertState WithHistory(AlertState state, string through, Period evaluatingFrom, List<AlertObservation> observations)
    {
        if (through.Length == 0)
        {
            return state with { Observations = observations };
        }

        var period = Period.Parse(through);
        AlertCheckpoint checkpoint;
        if (state.Status == AlertStatus.Resolved && state.ResolvedAt < evaluatingFrom)
        {
            checkpoint = new AlertCheckpoint(period, AlertStatus.Resolved, state.Severity, state.FiringSince, state.LastHeld, state.ResolvedAt, state.Evidence);
        }
        else
        {
            var held = observations.Find(o => o.Period == period) is { Severity: { } severity, Evidence: { } evidence }
                ? (severity, evidence)
                : throw new InvalidDataException($"Alert {state.Fingerprint} has no held observation at {period}, where its row says it last held before {evaluatingFrom}.");
            checkpoint = new AlertCheckpoint(period, AlertStatus.Firing, held.severity, state.FiringSince, period, null, held.evidence);
        }

        return state with { Checkpoint = checkpoint, Observations = [.. observations.Where(o => o.Period > period)] };
    }

    private static DynamicParameters WithFrom(object parameters, Period from)
    {
        var all = new DynamicParameters(parameters);
        all.Add("from", from.ToString());
        // Whole histories need no month before (every spell begins at or after the first month).
        all.Add("before", (from == WholeHistories ? from : from.AddMonths(-1)).ToString());
        return all;
    }

    private delegate bool TryParser<T>(string? wire, out T value);

    private static T Parse<T>(TryParser<T> parser, string wire) =>
        parser(wire, out var value) ? value : throw new InvalidDataException($"'{wire}' is not a valid {typeof(T).Name} in the alert tables.");

    private Task<int> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(Command(sql, parameters, cancellationToken));

    private CommandDefinition Command(string sql, object? parameters, CancellationToken cancellationToken) =>
        new(sql, parameters, transaction, cancellationToken: cancellationToken);
}
