-- Detection's input: each month's counts per broad group (ethnic group White…Other/Unknown, IMD quintile 1–5/U) of the current
-- accepted submissions, at trust level and rolled up to LMNS and region by the membership in force that month. Derived from
-- v_measure_current and maintained in the load's transaction, so a recompute reads a region's 36 months as ~1,300 rows instead
-- of aggregating ~400,000 measure rows; `pipeline recompute` rebuilds it from the measures.
create table detection_count (
    level varchar(16) not null,                -- organisation | lmns | region
    organisation_code nvarchar(16) not null,
    period char(7) not null,               -- yyyy-MM
    indicator_code nvarchar(64) not null,
    breakdown varchar(16) not null,            -- ethnic_group | imd_quintile
    -- numerators n1…n6 and denominators d1…d6 of the breakdown's groups in order: ethnic_group White, Mixed, Asian, Black,
    -- Other, Unknown (Z + 99); imd_quintile 1 (most deprived) … 5, U. One wide row per series-month keeps reads small.
    n1 bigint not null,
    n2 bigint not null,
    n3 bigint not null,
    n4 bigint not null,
    n5 bigint not null,
    n6 bigint not null,
    d1 bigint not null,
    d2 bigint not null,
    d3 bigint not null,
    d4 bigint not null,
    d5 bigint not null,
    d6 bigint not null,
    primary key (level, organisation_code, period, indicator_code, breakdown)
);
-- Recompute deletes a window's rows by level, organisation and period_end.
create index ix_group_comparison_org_period on group_comparison (level, organisation_code, period_end);
