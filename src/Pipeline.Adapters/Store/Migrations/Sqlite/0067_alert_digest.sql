-- One row per route and reporting month whose monthly digest has gone out (docs/alerts.md §4). notification_id is the
-- digest's outbox row; null when there was nothing to tell, nobody to tell, or the month was folded into a later digest.
create table alert_digest (
    route_scope text not null,               -- lmns | region
    route_code text not null,
    period text not null,                    -- yyyy-MM, the reporting month
    expected_trusts integer not null,
    trusts_in integer not null,              -- expected trusts with an accepted file when it went out
    released_at text not null,
    notification_id text null,
    primary key (route_scope, route_code, period)
);
