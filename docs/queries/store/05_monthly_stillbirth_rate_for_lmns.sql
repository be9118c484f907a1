-- name: monthly_stillbirth_rate_for_lmns
-- question: What is the monthly stillbirth rate per 1,000 for an LMNS, summing its trusts by the membership in force each month?
-- parameters: @lmns_code (e.g. 'QOP')
-- engines: SQLite and SQL Server as written (1000.0 * forces decimal division in both).
select m.reporting_period,
       count(distinct m.organisation_code) as trusts_reporting,
       sum(m.numerator) as stillbirths,
       sum(m.denominator) as births,
       1000.0 * sum(m.numerator) / nullif(sum(m.denominator), 0) as per_1000
from v_measure_current m
join reporting_month rm on rm.period = m.reporting_period
join organisation_membership om
  on om.trust_code = m.organisation_code
 and (om.effective_from is null or om.effective_from <= rm.last_day)
 and (om.effective_to is null or om.effective_to >= rm.first_day)
where om.lmns_code = @lmns_code
  and m.indicator_code = 'stillbirth'
  and m.breakdown = 'total'
group by m.reporting_period
order by m.reporting_period;
