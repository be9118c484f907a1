-- "Silence is not equity" (issue #19, statistics.md §7a): the smallest ratio each comparison could have alerted on its
-- window's expected counts, in the worse direction (null: none could), and whether that covers a doubling (1/0; null only
-- on rows computed before this migration). Added at the END of v_group_comparison's select
-- list so existing positional readers are unaffected. Rows computed before this migration have nulls until
-- `pipeline recompute` refreshes them.
alter table group_comparison add column min_detectable_ratio real null;
alter table group_comparison add column detects_doubling integer null;
drop view v_group_comparison;
create view v_group_comparison as
select
    level, organisation_code, indicator_code, breakdown, group_code, reference_group_code, window_months, period_end,
    numerator, denominator, value, ci_lower, ci_upper, reference_value, rate_ratio, rr_ci_lower, rr_ci_upper,
    rr_ci_lower_998, rr_ci_upper_998, direction, signal,
    absolute_difference, reference_numerator, reference_denominator, months_present, signal_rule, spc_rule, spc_concern,
    haldane_corrected, inhibited_reason, computed_at,
    min_detectable_ratio, detects_doubling
from group_comparison;
