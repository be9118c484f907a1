-- One row per distinct submission (id = sha256 of content + organisation + period).
create table submission (
    id varchar(64) not null primary key,
    organisation_code nvarchar(64) not null,
    reporting_period nvarchar(32) not null,
    file_name nvarchar(400) not null,
    source_path nvarchar(800) not null, -- indexed: SQL Server index keys stop at 1700 bytes
    sha256 varchar(64) not null,
    size_bytes bigint not null,
    received_at datetimeoffset(7) not null,
    status varchar(16) not null check (status in ('received', 'accepted', 'rejected', 'superseded', 'failed')),
    error_count int not null default 0,
    warning_count int not null default 0,
    superseded_by varchar(64) null references submission (id),
    attempts int not null default 0,
    failure_reason nvarchar(2000) null,
    quarantine_path nvarchar(900) null,
    submitted_by nvarchar(320) null,
    processed_at datetimeoffset(7) null
);
create index ix_submission_org_period on submission (organisation_code, reporting_period);
create index ix_submission_source on submission (source_path);
-- At most one current (accepted) submission per organisation and month.
create unique index ux_submission_current on submission (organisation_code, reporting_period) where status = 'accepted';

-- The receipt's examples (up to the report's limit per code), for errors and warnings alike.
create table validation_issue (
    submission_id varchar(64) not null references submission (id),
    ordinal int not null,
    code nvarchar(16) not null,
    severity nvarchar(16) not null,
    message nvarchar(2000) not null,
    fix nvarchar(2000) not null,
    json_pointer nvarchar(400) null,
    line bigint null,
    column_name nvarchar(200) null,
    sheet nvarchar(200) null,
    cell nvarchar(32) null,
    value nvarchar(400) null,
    row_key nvarchar(400) null,
    code_count int not null,
    primary key (submission_id, ordinal)
);
