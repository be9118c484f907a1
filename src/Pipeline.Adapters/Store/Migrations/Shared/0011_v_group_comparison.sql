-- What regional analysts query (design §5). Columns in the documented order; extras (counts of the reference group,
-- months present, the rule and SPC flags, inhibition) follow, so a SELECT * stays readable.
create view v_group_comparison as
select
    level, organisation_code, indicator_code, breakdown, group_code, reference_group_code, window_months, period_end,
    numerator, denominator, value, ci_lower, ci_upper, reference_value, rate_ratio, rr_ci_lower, rr_ci_upper,
    rr_ci_lower_998, rr_ci_upper_998, direction, signal,
    absolute_difference, reference_numerator, reference_denominator, months_present, signal_rule, spc_rule, spc_concern,
    haldane_corrected, inhibited_reason, computed_at
from group_comparison;
