-- The reports alert emails link to, waiting to be published (docs/alerts.md §5): a row per route and month is requested in
-- the transaction that queues an email linking to it, and published (published_at set) by the notification pump before
-- the email goes out, outside that transaction. A later email for the same route and month asks for it again.
create table report_publication (
    route_scope varchar(10) not null,
    route_code nvarchar(16) not null,
    period char(7) not null,
    requested_at datetimeoffset(7) not null,
    published_at datetimeoffset(7) null,
    constraint pk_report_publication primary key (route_scope, route_code, period)
);
