using Dapper;
using Pipeline.Core.Alerts;
using Pipeline.Core.Alerts.Digests;
using Pipeline.Core.Model;

namespace Pipeline.Adapters.Store;

/// <summary>Which monthly digests have gone out (<c>alert_digest</c>, docs/alerts.md §4).</summary>
public sealed class SqlDigestStore(StoreSession session)
{
    /// <summary>The latest reporting month released for each route.</summary>
    public async Task<IReadOnlyDictionary<AlertRoute, Period>> LatestReleasedAsync(CancellationToken cancellationToken)
    {
        var rows = await session.Connection.QueryAsync<(string Scope, string Code, string Period)>(new CommandDefinition(
            "select route_scope, route_code, max(period) from alert_digest group by route_scope, route_code",
            transaction: session.Transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(
            r => new AlertRoute(AlertNames.TryParseScope(r.Scope, out var scope) ? scope
                : throw new InvalidDataException($"alert_digest row has route scope '{r.Scope}', which is not lmns or region."), r.Code),
            r => Period.Parse(r.Period));
    }

    /// <summary>Records a released month; <paramref name="notificationId"/> is the digest's outbox row, if one was queued.</summary>
    public Task RecordAsync(DigestMonth month, string? notificationId, DateTimeOffset releasedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(month);
        return session.Connection.ExecuteAsync(new CommandDefinition(
            """
            insert into alert_digest (route_scope, route_code, period, expected_trusts, trusts_in, released_at, notification_id)
            values (@scope, @code, @period, @expected, @trustsIn, @releasedAt, @notificationId)
            """,
            new
            {
                scope = month.Route.Scope.ToWire(),
                code = month.Route.Code,
                period = month.Period.ToString(),
                expected = month.ExpectedTrusts,
                trustsIn = month.TrustsIn,
                releasedAt = session.Dialect.Timestamp(releasedAt),
                notificationId,
            },
            session.Transaction,
            cancellationToken: cancellationToken));
    }
}
