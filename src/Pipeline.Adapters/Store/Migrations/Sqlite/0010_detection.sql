-- Detection output (design §5, statistics.md §6): one row per level × organisation × indicator × breakdown × group × window
-- ending at a period. Recomputed, never appended: a recompute replaces the rows of the windows it covers.
create table group_comparison (
    level text not null,                -- organisation | lmns | region
    organisation_code text not null,    -- trust, LMNS or region code
    indicator_code text not null,
    breakdown text not null,            -- ethnic_group | imd_quintile
    group_code text not null,
    reference_group_code text not null,
    window_months integer not null,
    period_end text not null,           -- yyyy-MM, the window's last month
    months_present integer not null,
    numerator integer not null,
    denominator integer not null,
    value real null,                    -- × multiplier; null without a denominator
    ci_lower real null,                 -- 95% Wilson, × multiplier
    ci_upper real null,
    reference_numerator integer not null,
    reference_denominator integer not null,
    reference_value real null,
    rate_ratio real null,
    rr_ci_lower real null,              -- 95% Katz
    rr_ci_upper real null,
    rr_ci_lower_998 real null,          -- 99.8% Katz
    rr_ci_upper_998 real null,
    absolute_difference real null,      -- (p_group - p_reference) × multiplier
    haldane_corrected integer not null, -- 1 when a zero numerator used the 0.5 correction
    direction text not null,            -- worse | better | different | none
    signal text not null,               -- none | watch | alert
    signal_rule text not null,                 -- none | ratio | spc
    spc_rule text not null,             -- the special cause at this period, or none
    spc_concern integer not null,       -- 1 when that special cause points the worse way
    inhibited_reason text null,         -- why signals are inhibited (data quality), null when not
    computed_at text not null,
    primary key (level, organisation_code, indicator_code, breakdown, group_code, window_months, period_end)
);
create index ix_group_comparison_period on group_comparison (period_end, level, signal);

create table deprivation_gradient (
    level text not null,
    organisation_code text not null,
    indicator_code text not null,
    window_months integer not null,
    period_end text not null,
    months_present integer not null,
    sii real null,                      -- oriented: > 0 means the most deprived fare worse; indicator units
    sii_ci_lower real null,
    sii_ci_upper real null,
    rii real null,                      -- oriented: > 1 means the most deprived fare worse
    rii_ci_lower real null,
    rii_ci_upper real null,
    signal text not null,
    inhibited_reason text null,
    computed_at text not null,
    primary key (level, organisation_code, indicator_code, window_months, period_end)
);
create index ix_deprivation_gradient_period on deprivation_gradient (period_end, level, signal);

-- Raised instead of equity signals when unknown ethnicity or unassignable IMD is above the threshold.
create table data_quality_finding (
    level text not null,
    organisation_code text not null,
    indicator_code text not null,
    breakdown text not null,
    window_months integer not null,
    period_end text not null,
    unknown_denominator integer not null,
    total_denominator integer not null,
    unknown_share real not null,
    threshold real not null,
    message text not null,
    computed_at text not null,
    primary key (level, organisation_code, indicator_code, breakdown, window_months, period_end)
);
