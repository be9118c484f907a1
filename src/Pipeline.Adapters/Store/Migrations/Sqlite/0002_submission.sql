-- One row per distinct submission (id = sha256 of content + organisation + period). Timestamps are UTC ISO-8601 text.
create table submission (
    id text not null primary key,
    organisation_code text not null,
    reporting_period text not null,
    file_name text not null,
    source_path text not null,
    sha256 text not null,
    size_bytes integer not null,
    received_at text not null,
    status text not null check (status in ('received', 'accepted', 'rejected', 'superseded', 'failed')),
    error_count integer not null default 0,
    warning_count integer not null default 0,
    superseded_by text null references submission (id),
    attempts integer not null default 0,
    failure_reason text null,
    quarantine_path text null,
    submitted_by text null,
    processed_at text null
);
create index ix_submission_org_period on submission (organisation_code, reporting_period);
create index ix_submission_source on submission (source_path);
-- At most one current (accepted) submission per organisation and month.
create unique index ux_submission_current on submission (organisation_code, reporting_period) where status = 'accepted';

-- The receipt's examples (up to the report's limit per code), for errors and warnings alike.
create table validation_issue (
    submission_id text not null references submission (id),
    ordinal integer not null,
    code text not null,
    severity text not null,
    message text not null,
    fix text not null,
    json_pointer text null,
    line integer null,
    column_name text null,
    sheet text null,
    cell text null,
    value text null,
    row_key text null,
    code_count integer not null,
    primary key (submission_id, ordinal)
);
