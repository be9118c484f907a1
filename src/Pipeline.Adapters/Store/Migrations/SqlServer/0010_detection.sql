-- Detection output (design §5, statistics.md §6): one row per level × organisation × indicator × breakdown × group × window
-- ending at a period. Recomputed, never appended: a recompute replaces the rows of the windows it covers.
create table group_comparison (
    level varchar(16) not null,                -- organisation | lmns | region
    organisation_code nvarchar(16) not null,    -- trust, LMNS or region code
    indicator_code nvarchar(64) not null,
    breakdown varchar(16) not null,            -- ethnic_group | imd_quintile
    group_code nvarchar(16) not null,
    reference_group_code nvarchar(16) not null,
    window_months int not null,
    period_end char(7) not null,           -- yyyy-MM, the window's last month
    months_present int not null,
    numerator bigint not null,
    denominator bigint not null,
    value float null,                    -- × multiplier; null without a denominator
    ci_lower float null,                 -- 95% Wilson, × multiplier
    ci_upper float null,
    reference_numerator bigint not null,
    reference_denominator bigint not null,
    reference_value float null,
    rate_ratio float null,
    rr_ci_lower float null,              -- 95% Katz
    rr_ci_upper float null,
    rr_ci_lower_998 float null,          -- 99.8% Katz
    rr_ci_upper_998 float null,
    absolute_difference float null,      -- (p_group - p_reference) × multiplier
    haldane_corrected bit not null, -- 1 when a zero numerator used the 0.5 correction
    direction varchar(16) not null,            -- worse | better | different | none
    signal varchar(16) not null,               -- none | watch | alert
    signal_rule varchar(16) not null,                 -- none | ratio | spc
    spc_rule varchar(32) not null,             -- the special cause at this period, or none
    spc_concern bit not null,       -- 1 when that special cause points the worse way
    inhibited_reason nvarchar(400) null,         -- why signals are inhibited (data quality), null when not
    computed_at datetimeoffset not null,
    primary key (level, organisation_code, indicator_code, breakdown, group_code, window_months, period_end)
);
create index ix_group_comparison_period on group_comparison (period_end, level, signal);

create table deprivation_gradient (
    level varchar(16) not null,
    organisation_code nvarchar(16) not null,
    indicator_code nvarchar(64) not null,
    window_months int not null,
    period_end char(7) not null,
    months_present int not null,
    sii float null,                      -- oriented: > 0 means the most deprived fare worse; indicator units
    sii_ci_lower float null,
    sii_ci_upper float null,
    rii float null,                      -- oriented: > 1 means the most deprived fare worse
    rii_ci_lower float null,
    rii_ci_upper float null,
    signal varchar(16) not null,
    inhibited_reason nvarchar(400) null,
    computed_at datetimeoffset not null,
    primary key (level, organisation_code, indicator_code, window_months, period_end)
);
create index ix_deprivation_gradient_period on deprivation_gradient (period_end, level, signal);

-- Raised instead of equity signals when unknown ethnicity or unassignable IMD is above the threshold.
create table data_quality_finding (
    level varchar(16) not null,
    organisation_code nvarchar(16) not null,
    indicator_code nvarchar(64) not null,
    breakdown varchar(16) not null,
    window_months int not null,
    period_end char(7) not null,
    unknown_denominator bigint not null,
    total_denominator bigint not null,
    unknown_share float not null,
    threshold float not null,
    message nvarchar(400) not null,
    computed_at datetimeoffset not null,
    primary key (level, organisation_code, indicator_code, breakdown, window_months, period_end)
);
