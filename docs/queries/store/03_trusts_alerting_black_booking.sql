-- name: trusts_alerting_black_booking
-- question: Which trusts have a firing alert for Black women's antenatal booking by 10 weeks, and what do its latest numbers say?
-- parameters: none (firing is the alert's status: docs/alerts.md §2; the numbers are the window its latest evaluation read)
-- engines: SQLite and SQL Server as written.
select a.organisation_code, o.name as organisation_name, a.severity, a.alert_rule, a.firing_since, a.last_held,
       gc.period_end, gc.signal as signal_this_period, gc.window_months,
       gc.numerator, gc.denominator, gc.value, gc.ci_lower, gc.ci_upper, gc.reference_value,
       gc.rate_ratio, gc.rr_ci_lower, gc.rr_ci_upper, gc.rr_ci_lower_998, gc.rr_ci_upper_998
from alert a
join organisation o on o.code = a.organisation_code
join v_group_comparison gc
  on gc.level = a.level and gc.organisation_code = a.organisation_code and gc.indicator_code = a.indicator_code
 and gc.breakdown = a.breakdown and gc.group_code = a.group_code and gc.period_end = a.last_evaluated
where a.status = 'firing'
  and a.level = 'organisation'
  and a.indicator_code = 'booking_by_10_weeks'
  and a.breakdown = 'ethnic_group'
  and a.group_code = 'Black'
  and a.alert_rule in ('ratio', 'spc')
order by case a.severity when 'alert' then 0 else 1 end, gc.rate_ratio desc;
