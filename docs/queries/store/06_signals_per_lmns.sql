-- name: signals_per_lmns
-- question: How many alert and watch signals does each LMNS have, counting the LMNS itself and its trusts, at the latest period?
-- counts: group comparisons and deprivation gradients alike (a gradient alert is an alert, as in emails and reports).
-- parameters: none
-- engines: SQLite and SQL Server as written.
with latest as (
    select max(period_end) as period_end from v_group_comparison
), signals as (
    select level, organisation_code, period_end, signal from v_group_comparison
    union all
    select level, organisation_code, period_end, signal from v_deprivation_gradient
), placed as (
    select coalesce(om.lmns_code, s.organisation_code) as lmns_code, s.signal
    from signals s
    join latest on latest.period_end = s.period_end
    join reporting_month rm on rm.period = s.period_end
    left join organisation_membership om
      on s.level = 'organisation'
     and om.trust_code = s.organisation_code
     and (om.effective_from is null or om.effective_from <= rm.last_day)
     and (om.effective_to is null or om.effective_to >= rm.first_day)
    where s.level in ('organisation', 'lmns')
)
select lmns_code,
       sum(case when signal = 'alert' then 1 else 0 end) as alerts,
       sum(case when signal = 'watch' then 1 else 0 end) as watches
from placed
group by lmns_code
having sum(case when signal <> 'none' then 1 else 0 end) > 0
order by alerts desc, watches desc, lmns_code;
