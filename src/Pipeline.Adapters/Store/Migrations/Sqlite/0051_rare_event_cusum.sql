-- Rare-event indicators (issue #19, statistics.md §6a): each group's Poisson CUSUM statistic against the reference group's
-- rate over the pooled window, and the threshold h it is compared with (both null for other indicators); signal_rule may
-- now be 'cusum'. Added at the END of v_group_comparison's select list, after 0050's columns. Rows computed before this
-- migration have nulls until `pipeline recompute` refreshes them.
alter table group_comparison add column cusum real null;
alter table group_comparison add column cusum_threshold real null;
drop view v_group_comparison;
create view v_group_comparison as
select
    level, organisation_code, indicator_code, breakdown, group_code, reference_group_code, window_months, period_end,
    numerator, denominator, value, ci_lower, ci_upper, reference_value, rate_ratio, rr_ci_lower, rr_ci_upper,
    rr_ci_lower_998, rr_ci_upper_998, direction, signal,
    absolute_difference, reference_numerator, reference_denominator, months_present, signal_rule, spc_rule, spc_concern,
    haldane_corrected, inhibited_reason, computed_at,
    min_detectable_ratio, detects_doubling, cusum, cusum_threshold
from group_comparison;
