-- Detection's input: each month's counts per broad group (ethnic group White…Other/Unknown, IMD quintile 1–5/U) of the current
-- accepted submissions, at trust level and rolled up to LMNS and region by the membership in force that month. Derived from
-- v_measure_current and maintained in the load's transaction, so a recompute reads a region's 36 months as ~8,000 rows instead
-- of aggregating ~400,000 measure rows; `pipeline recompute` rebuilds it from the measures.
create table detection_count (
    level text not null,                -- organisation | lmns | region
    organisation_code text not null,
    period text not null,               -- yyyy-MM
    indicator_code text not null,
    breakdown text not null,            -- ethnic_group | imd_quintile
    group_code text not null,
    numerator integer not null,
    denominator integer not null,
    primary key (level, organisation_code, period, indicator_code, breakdown, group_code)
);
-- Recompute deletes a window's rows by level, organisation and period_end.
create index ix_group_comparison_org_period on group_comparison (level, organisation_code, period_end);
