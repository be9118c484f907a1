-- Every accepted submission's measures, superseded ones included (history); v_measure_current shows the current ones.
create table measure (
    submission_id text not null references submission (id),
    organisation_code text not null,
    reporting_period text not null,
    indicator_code text not null,
    breakdown text not null,
    group_code text not null,
    numerator integer not null,
    denominator integer not null,
    primary key (submission_id, indicator_code, breakdown, group_code)
);
create index ix_measure_org_period on measure (organisation_code, reporting_period, indicator_code);
