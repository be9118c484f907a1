-- name: trusts_alerting_black_booking
-- question: Which trusts have a firing alert for Black women's antenatal booking by 10 weeks at the latest period?
-- parameters: none (the latest evaluated period is found in the view)
-- engines: SQLite and SQL Server as written.
select gc.organisation_code, o.name as organisation_name, gc.period_end, gc.window_months,
       gc.numerator, gc.denominator, gc.value, gc.ci_lower, gc.ci_upper, gc.reference_value,
       gc.rate_ratio, gc.rr_ci_lower, gc.rr_ci_upper, gc.rr_ci_lower_998, gc.rr_ci_upper_998
from v_group_comparison gc
join organisation o on o.code = gc.organisation_code
where gc.level = 'organisation'
  and gc.indicator_code = 'booking_by_10_weeks'
  and gc.breakdown = 'ethnic_group'
  and gc.group_code = 'Black'
  and gc.signal = 'alert'
  and gc.period_end = (select max(period_end) from v_group_comparison)
order by gc.rate_ratio;
