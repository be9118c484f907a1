-- Alert state (docs/alerts.md §7). `rule` is reserved in T-SQL, so the column is alert_rule on both engines.
create table alert (
    fingerprint nvarchar(300) not null primary key,
    level varchar(16) not null,
    organisation_code nvarchar(16) not null,
    indicator_code nvarchar(64) not null,
    breakdown varchar(16) not null,
    group_code nvarchar(20) not null,
    alert_rule varchar(20) not null,
    route_scope varchar(10) not null,
    route_code nvarchar(16) not null,
    status varchar(10) not null check (status in ('firing', 'resolved')),
    severity varchar(10) not null check (severity in ('watch', 'alert')),
    firing_since char(7) not null,
    last_held char(7) not null,
    resolved_at char(7) null,
    last_evaluated char(7) not null,
    evidence_json nvarchar(max) not null,
    notified_status varchar(10) null,
    notified_severity varchar(10) null,
    notified_period char(7) null,
    notified_count int not null default 0,
    updated_at datetimeoffset(7) not null
);
create index ix_alert_route on alert (route_scope, route_code, status);
create index ix_alert_org on alert (level, organisation_code, alert_rule);

create table alert_observation (
    fingerprint nvarchar(300) not null references alert (fingerprint),
    period char(7) not null,
    severity varchar(10) null,
    evidence_json nvarchar(max) null,
    primary key (fingerprint, period)
);

create table alert_event (
    id bigint identity(1, 1) not null primary key,
    fingerprint nvarchar(300) not null references alert (fingerprint),
    period char(7) not null,
    kind varchar(12) not null,
    old_status varchar(10) null,
    new_status varchar(10) not null,
    old_severity varchar(10) null,
    new_severity varchar(10) not null,
    evidence_json nvarchar(max) not null,
    recorded_at datetimeoffset(7) not null
);
create index ix_alert_event_fp on alert_event (fingerprint, recorded_at);

create table silence (
    id varchar(64) not null primary key,
    matcher nvarchar(300) not null,
    reason nvarchar(2000) not null,
    author nvarchar(200) not null,
    starts_at datetimeoffset(7) not null,
    expires_at datetimeoffset(7) not null,
    created_at datetimeoffset(7) not null
);

create table notification (
    id varchar(64) not null primary key,
    kind varchar(10) not null,
    recipients_json nvarchar(max) not null,
    subject nvarchar(1000) not null,
    body_html nvarchar(max) not null,
    body_text nvarchar(max) not null,
    status varchar(10) not null check (status in ('pending', 'sent', 'failed')),
    attempts int not null default 0,
    next_attempt_at datetimeoffset(7) not null,
    last_error nvarchar(2000) null,
    created_at datetimeoffset(7) not null,
    sent_at datetimeoffset(7) null
);
create index ix_notification_due on notification (status, next_attempt_at);

create table notification_image (
    notification_id varchar(64) not null references notification (id),
    content_id varchar(100) not null,
    file_name nvarchar(200) not null,
    media_type varchar(50) not null,
    content varbinary(max) not null,
    primary key (notification_id, content_id)
);
