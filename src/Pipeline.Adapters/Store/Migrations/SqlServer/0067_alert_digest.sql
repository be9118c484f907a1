-- One row per route and reporting month whose monthly digest has gone out (docs/alerts.md §4). notification_id is the
-- digest's outbox row; null when there was nothing to tell, nobody to tell, or the month was folded into a later digest.
create table alert_digest (
    route_scope varchar(10) not null,
    route_code nvarchar(16) not null,
    period char(7) not null,
    expected_trusts int not null,
    trusts_in int not null,
    released_at datetimeoffset(7) not null,
    notification_id varchar(64) null,
    constraint pk_alert_digest primary key (route_scope, route_code, period)
);
