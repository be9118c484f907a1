-- Settings the store needs in SQL (rewritten from configuration on every migrate).
create table pipeline_setting (
    name nvarchar(64) not null primary key,
    value nvarchar(400) not null
);

-- The calendar v_submission_status is computed over; deadline_at = the configured day of the following month, end of day UTC.
create table reporting_month (
    period char(7) not null primary key,
    first_day date not null,
    last_day date not null,
    deadline_at datetimeoffset(7) not null
);
