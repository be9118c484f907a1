-- Detection's input: each month's counts per broad group (ethnic group White…Other/Unknown, IMD quintile 1–5/U) of the current
-- accepted submissions, at trust level and rolled up to LMNS and region by the membership in force that month. Derived from
-- v_measure_current and maintained in the load's transaction, so a recompute reads a region's 36 months as ~1,300 rows instead
-- of aggregating ~400,000 measure rows; `pipeline recompute` rebuilds it from the measures.
create table detection_count (
    level text not null,                -- organisation | lmns | region
    organisation_code text not null,
    period text not null,               -- yyyy-MM
    indicator_code text not null,
    breakdown text not null,            -- ethnic_group | imd_quintile
    -- numerators n1…n6 and denominators d1…d6 of the breakdown's groups in order: ethnic_group White, Mixed, Asian, Black,
    -- Other, Unknown (Z + 99); imd_quintile 1 (most deprived) … 5, U. One wide row per series-month keeps reads small.
    n1 integer not null,
    n2 integer not null,
    n3 integer not null,
    n4 integer not null,
    n5 integer not null,
    n6 integer not null,
    d1 integer not null,
    d2 integer not null,
    d3 integer not null,
    d4 integer not null,
    d5 integer not null,
    d6 integer not null,
    primary key (level, organisation_code, period, indicator_code, breakdown)
);
-- Recompute deletes a window's rows by level, organisation and period_end.
create index ix_group_comparison_org_period on group_comparison (level, organisation_code, period_end);
