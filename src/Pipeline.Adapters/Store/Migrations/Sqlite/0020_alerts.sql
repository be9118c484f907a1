-- Alert state (docs/alerts.md §7). `rule` is reserved in T-SQL, so the column is alert_rule on both engines.
create table alert (
    fingerprint text not null primary key,   -- level|organisation|indicator|breakdown|group|rule
    level text not null,                     -- organisation | lmns | region
    organisation_code text not null,
    indicator_code text not null,
    breakdown text not null,
    group_code text not null,
    alert_rule text not null,                -- ratio | gradient | spc | data_quality | late_submission
    route_scope text not null,               -- lmns | region
    route_code text not null,
    status text not null check (status in ('firing', 'resolved')),
    severity text not null check (severity in ('watch', 'alert')),
    firing_since text not null,              -- yyyy-MM
    last_held text not null,
    resolved_at text null,
    last_evaluated text not null,
    evidence_json text not null,
    notified_status text null,
    notified_severity text null,
    notified_period text null,
    notified_count integer not null default 0,        -- notices sent so far; part of the notification id
    updated_at text not null
);
create index ix_alert_route on alert (route_scope, route_code, status);
create index ix_alert_org on alert (level, organisation_code, alert_rule);

-- One per evaluated period: severity null means evaluated and the rule did not hold.
create table alert_observation (
    fingerprint text not null references alert (fingerprint),
    period text not null,
    severity text null,
    evidence_json text null,
    primary key (fingerprint, period)
);

create table alert_event (
    id integer primary key autoincrement,
    fingerprint text not null references alert (fingerprint),
    period text not null,                    -- the evaluated period that caused it
    kind text not null,                      -- fired | escalated | deescalated | resolved | withdrawn
    old_status text null,
    new_status text not null,
    old_severity text null,
    new_severity text not null,
    evidence_json text not null,
    recorded_at text not null
);
create index ix_alert_event_fp on alert_event (fingerprint, recorded_at);

create table silence (
    id text not null primary key,
    matcher text not null,                   -- six |-separated patterns with * wildcards
    reason text not null,
    author text not null,
    starts_at text not null,
    expires_at text not null,
    created_at text not null
);

-- The outbox: written in the same transaction as the state that caused it; the id is deterministic (insert if absent).
create table notification (
    id text not null primary key,
    kind text not null,                      -- alerts | receipt
    recipients_json text not null,
    subject text not null,
    body_html text not null,
    body_text text not null,
    status text not null check (status in ('pending', 'sent', 'failed')),
    attempts integer not null default 0,
    next_attempt_at text not null,
    last_error text null,
    created_at text not null,
    sent_at text null
);
create index ix_notification_due on notification (status, next_attempt_at);

create table notification_image (
    notification_id text not null references notification (id),
    content_id text not null,
    file_name text not null,
    media_type text not null,
    content blob not null,
    primary key (notification_id, content_id)
);
