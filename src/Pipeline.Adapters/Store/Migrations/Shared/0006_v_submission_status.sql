-- Expected trusts per month are those open then with an LMNS membership in force (closures and mergers by effective dates).
-- A trust is on time when its first accepted submission arrived by the deadline, late when after, missing when none.
create view v_submission_status as
with expected as (
    -- Grouped so a membership that changes mid-month still gives one row (with the first LMNS code).
    select rm.period, rm.deadline_at, o.code as organisation_code, o.name as organisation_name, min(om.lmns_code) as lmns_code
    from reporting_month rm
    join organisation o
      on (o.effective_from is null or o.effective_from <= rm.last_day)
     and (o.effective_to is null or o.effective_to >= rm.first_day)
    join organisation_membership om
      on om.trust_code = o.code
     and (om.effective_from is null or om.effective_from <= rm.last_day)
     and (om.effective_to is null or om.effective_to >= rm.first_day)
    group by rm.period, rm.deadline_at, o.code, o.name
), received as (
    select organisation_code, reporting_period,
           min(case when status in ('accepted', 'superseded') then received_at end) as first_accepted_at,
           max(received_at) as last_received_at,
           count(*) as submission_count,
           sum(case when status = 'rejected' then 1 else 0 end) as rejected_count
    from submission
    group by organisation_code, reporting_period
)
select e.period as reporting_period, e.organisation_code, e.organisation_name, e.lmns_code, e.deadline_at,
       r.first_accepted_at, r.last_received_at,
       coalesce(r.submission_count, 0) as submission_count,
       coalesce(r.rejected_count, 0) as rejected_count,
       cur.id as current_submission_id,
       case when r.first_accepted_at is null then 'missing'
            when r.first_accepted_at <= e.deadline_at then 'on_time'
            else 'late' end as status
from expected e
left join received r on r.organisation_code = e.organisation_code and r.reporting_period = e.period
left join submission cur on cur.organisation_code = e.organisation_code and cur.reporting_period = e.period and cur.status = 'accepted';
