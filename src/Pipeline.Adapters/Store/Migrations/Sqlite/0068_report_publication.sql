-- The reports alert emails link to, waiting to be published (docs/alerts.md §5): a row per route and month is requested in
-- the transaction that queues an email linking to it, and published (published_at set) by the notification pump before
-- the email goes out, outside that transaction. A later email for the same route and month asks for it again.
create table report_publication (
    route_scope text not null,               -- lmns | region
    route_code text not null,
    period text not null,                    -- yyyy-MM
    requested_at text not null,
    published_at text null,
    primary key (route_scope, route_code, period)
);
