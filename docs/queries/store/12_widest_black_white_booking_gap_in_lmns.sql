-- name: widest_black_white_booking_gap_in_lmns
-- question: Which trusts in an LMNS have the widest Black–White gap in booking by 10 weeks over the 12 months to a period?
-- parameters: @lmns_code (e.g. 'QOP'), @period ('yyyy-MM', the window's last month)
-- engines: SQLite and SQL Server as written.
select organisation_code, period_end, months_present, window_complete,
       value as black_percent, reference_value as white_percent, absolute_difference as gap_points,
       rate_ratio, rr_ci_lower, rr_ci_upper, signal
from v_group_comparison
where level = 'organisation'
  and lmns_code = @lmns_code
  and indicator_code = 'booking_by_10_weeks'
  and breakdown = 'ethnic_group'
  and group_code = 'Black'
  and reference_group_code = 'White'
  and window_months = 12
  and period_end = @period
order by abs(absolute_difference) desc, organisation_code;
