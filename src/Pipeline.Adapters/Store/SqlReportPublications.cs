using Dapper;
using Pipeline.Core.Alerts;
using Pipeline.Core.Model;

namespace Pipeline.Adapters.Store;

/// <summary>The reports alert emails link to and whether each is published yet (<c>report_publication</c>).</summary>
public sealed class SqlReportPublications(StoreSession session)
{
    /// <summary>Asks for the route's report for the month (again, if it was published before the newest email).</summary>
    public async Task RequestAsync(AlertRoute route, Period period, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        var row = new { scope = route.Scope.ToWire(), code = route.Code, period = period.ToString(), at = session.Dialect.Timestamp(at) };
        var updated = await ExecuteAsync(
            """
            update report_publication set requested_at = @at, published_at = null
            where route_scope = @scope and route_code = @code and period = @period
            """,
            row,
            cancellationToken).ConfigureAwait(false);
        if (updated == 0)
        {
            await ExecuteAsync(
                "insert into report_publication (route_scope, route_code, period, requested_at) values (@scope, @code, @period, @at)",
                row,
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The requested reports not yet published, oldest month first.</summary>
    public async Task<IReadOnlyList<(AlertRoute Route, Period Period)>> PendingAsync(CancellationToken cancellationToken)
    {
        var rows = await session.Connection.QueryAsync<(string Scope, string Code, string Period)>(new CommandDefinition(
            """
            select route_scope, route_code, period from report_publication
            where published_at is null order by period, route_scope, route_code
            """,
            transaction: session.Transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var pending = new List<(AlertRoute, Period)>();
        foreach (var row in rows)
        {
            if (AlertNames.TryParseScope(row.Scope, out var scope) && Period.TryParse(row.Period, out var period))
            {
                pending.Add((new AlertRoute(scope, row.Code), period));
            }
        }

        return pending;
    }

    /// <summary>Marks a report published at <paramref name="at"/>, unless a newer email asked for it since.</summary>
    public Task MarkPublishedAsync(AlertRoute route, Period period, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        return ExecuteAsync(
            """
            update report_publication set published_at = @at
            where route_scope = @scope and route_code = @code and period = @period and requested_at <= @at
            """,
            new { scope = route.Scope.ToWire(), code = route.Code, period = period.ToString(), at = session.Dialect.Timestamp(at) },
            cancellationToken);
    }

    private Task<int> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        session.Connection.ExecuteAsync(new CommandDefinition(sql, parameters, session.Transaction, cancellationToken: cancellationToken));
}
