-- name: unknown_ethnicity_share
-- question: Which trusts record ethnicity poorly (Z not stated + 99 not known above 10% of births) in a month?
-- parameters: @period ('yyyy-MM')
-- engines: SQLite and SQL Server as written.
select m.organisation_code,
       sum(case when ec.is_known = 0 then m.denominator else 0 end) as unknown_births,
       sum(m.denominator) as births,
       1.0 * sum(case when ec.is_known = 0 then m.denominator else 0 end) / nullif(sum(m.denominator), 0) as unknown_share
from v_measure_current m
join ethnic_category ec on ec.code = m.group_code
where m.reporting_period = @period
  and m.indicator_code = 'stillbirth'
  and m.breakdown = 'ethnic_category'
group by m.organisation_code
having 1.0 * sum(case when ec.is_known = 0 then m.denominator else 0 end) / nullif(sum(m.denominator), 0) > 0.10
order by unknown_share desc;
