-- Every accepted submission's measures, superseded ones included (history); v_measure_current shows the current ones.
create table measure (
    submission_id varchar(64) not null references submission (id),
    organisation_code nvarchar(16) not null,
    reporting_period char(7) not null,
    indicator_code nvarchar(64) not null,
    breakdown varchar(16) not null,
    group_code nvarchar(8) not null,
    numerator bigint not null,
    denominator bigint not null,
    primary key (submission_id, indicator_code, breakdown, group_code)
);
create index ix_measure_org_period on measure (organisation_code, reporting_period, indicator_code);
