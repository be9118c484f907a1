-- Settings the store needs in SQL (rewritten from configuration on every migrate).
create table pipeline_setting (
    name text not null primary key,
    value text not null
);

-- The calendar v_submission_status is computed over; deadline_at = the configured day of the following month, end of day UTC.
create table reporting_month (
    period text not null primary key,
    first_day text not null,
    last_day text not null,
    deadline_at text not null
);
