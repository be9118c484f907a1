-- v_submission_status as in 0064, from the deployment's first month only: pipeline_setting 'first_period'
-- (Pipeline:Submissions:FirstPeriod, written on every migrate), or when that is not set the earliest month any trust has
-- an accepted file for. Before it the deployment was not collecting, so those months are neither 'missing' nor listed.
create view v_submission_status as
with clock as (
    select value as now_at, substr(value, 1, 10) as today from pipeline_setting where name = 'clock_now'
), first_month as (
    select coalesce(
        (select value from pipeline_setting where name = 'first_period'),
        (select min(reporting_period) from submission where status in ('accepted', 'superseded'))) as period
), expected as (
    -- Grouped so a membership that changes mid-month still gives one row (with the first LMNS code).
    select rm.period, rm.first_day, rm.last_day, rm.deadline_at, o.code as organisation_code, o.name as organisation_name, min(om.lmns_code) as lmns_code
    from reporting_month rm
    join clock c on rm.last_day < c.today
    join first_month f on rm.period >= f.period
    join organisation o
      on (o.effective_from is null or o.effective_from <= rm.last_day)
     and (o.effective_to is null or o.effective_to >= rm.first_day)
    join organisation_membership om
      on om.trust_code = o.code
     and (om.effective_from is null or om.effective_from <= rm.last_day)
     and (om.effective_to is null or om.effective_to >= rm.first_day)
    group by rm.period, rm.first_day, rm.last_day, rm.deadline_at, o.code, o.name
), placed as (
    select e.*, (
        select min(l.region_code) from lmns l
        where l.code = e.lmns_code
          and (l.effective_from is null or l.effective_from <= e.last_day)
          and (l.effective_to is null or l.effective_to >= e.first_day)) as region_code
    from expected e
), deployment_region as (
    select value as region_code from pipeline_setting where name like 'deployment_region:%'
    union
    select l.region_code
    from submission s
    join organisation_membership om on om.trust_code = s.organisation_code
    join lmns l on l.code = om.lmns_code
    where not exists (select 1 from pipeline_setting where name like 'deployment_region:%')
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
       case when r.first_accepted_at is null and e.deadline_at > (select now_at from clock) then 'not_yet_due'
            when r.first_accepted_at is null then 'missing'
            when r.first_accepted_at <= e.deadline_at then 'on_time'
            else 'late' end as status,
       e.region_code
from placed e
left join received r on r.organisation_code = e.organisation_code and r.reporting_period = e.period
left join submission cur on cur.organisation_code = e.organisation_code and cur.reporting_period = e.period and cur.status = 'accepted'
where e.region_code in (select region_code from deployment_region);
