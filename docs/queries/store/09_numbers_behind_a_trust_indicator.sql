-- name: numbers_behind_a_trust_indicator
-- question: For one trust and indicator at a period, every group's value with its CI, the reference, the ratio and the signal.
-- parameters: @organisation_code (e.g. 'R0A'), @indicator_code (e.g. 'stillbirth'), @period ('yyyy-MM')
-- engines: SQLite and SQL Server as written.
select breakdown, group_code, reference_group_code, window_months, numerator, denominator,
       value, ci_lower, ci_upper, reference_value,
       rate_ratio, rr_ci_lower, rr_ci_upper, rr_ci_lower_998, rr_ci_upper_998, direction, signal
from v_group_comparison
where level = 'organisation'
  and organisation_code = @organisation_code
  and indicator_code = @indicator_code
  and period_end = @period
order by breakdown, group_code;
