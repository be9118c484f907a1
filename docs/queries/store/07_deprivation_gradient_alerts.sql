-- name: deprivation_gradient_alerts
-- question: Where is there a deprivation gradient alert (the most deprived fare worse) at the latest period, and how steep is it?
-- parameters: none
-- engines: SQLite and SQL Server as written.
select dg.level, dg.organisation_code, i.name as indicator_name, dg.window_months,
       dg.rii, dg.rii_ci_lower, dg.rii_ci_upper, dg.sii, dg.sii_ci_lower, dg.sii_ci_upper
from v_deprivation_gradient dg
join indicator i on i.code = dg.indicator_code
where dg.signal = 'alert'
  and dg.period_end = (select max(period_end) from v_deprivation_gradient)
order by dg.rii desc;
