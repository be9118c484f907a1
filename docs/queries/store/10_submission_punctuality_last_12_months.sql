-- name: submission_punctuality_last_12_months
-- question: Over the twelve months to a period, how often was each trust on time, late or missing?
-- parameters: @period ('yyyy-MM', the last month counted)
-- engines: SQLite as written. SQL Server: no LIMIT; write the CTE as `select top 12 period from reporting_month where period <= @period order by period desc`.
with months as (
    select period from reporting_month
    where period <= @period
    order by period desc
    limit 12
)
select s.organisation_code, s.organisation_name, s.lmns_code,
       sum(case when s.status = 'on_time' then 1 else 0 end) as on_time,
       sum(case when s.status = 'late' then 1 else 0 end) as late,
       sum(case when s.status = 'missing' then 1 else 0 end) as missing
from v_submission_status s
join months on months.period = s.reporting_period
group by s.organisation_code, s.organisation_name, s.lmns_code
order by missing desc, late desc, s.organisation_code;
