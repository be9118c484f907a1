-- name: stillbirth_ratio_trend_for_lmns
-- question: How has the stillbirth rate ratio of each ethnic group against White moved, window by window, for an LMNS?
-- parameters: @lmns_code (e.g. 'QOP')
-- engines: SQLite and SQL Server as written.
select period_end, group_code, window_months, numerator, denominator, value, reference_value,
       rate_ratio, rr_ci_lower, rr_ci_upper, signal
from v_group_comparison
where level = 'lmns'
  and organisation_code = @lmns_code
  and indicator_code = 'stillbirth'
  and breakdown = 'ethnic_group'
order by group_code, period_end;
