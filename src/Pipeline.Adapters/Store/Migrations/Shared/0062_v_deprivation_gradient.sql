-- v_deprivation_gradient as in 0012, plus (last) the LMNS and region each row belongs to and whether the window is complete.
create view v_deprivation_gradient as
with placed as (
    select dg.*,
        case
            when dg.level = 'organisation' then (
                select min(om.lmns_code)
                from organisation_membership om
                join reporting_month rm on rm.period = dg.period_end
                where om.trust_code = dg.organisation_code
                  and (om.effective_from is null or om.effective_from <= rm.last_day)
                  and (om.effective_to is null or om.effective_to >= rm.first_day))
            when dg.level = 'lmns' then dg.organisation_code
        end as lmns_code
    from deprivation_gradient dg
)
select
    p.level, p.organisation_code, p.indicator_code, p.window_months, p.period_end, p.sii, p.sii_ci_lower, p.sii_ci_upper, p.rii,
    p.rii_ci_lower, p.rii_ci_upper, p.signal, p.months_present, p.inhibited_reason, p.computed_at,
    p.lmns_code,
    case
        when p.level = 'region' then p.organisation_code
        else (
            select min(l.region_code)
            from lmns l
            join reporting_month rm on rm.period = p.period_end
            where l.code = p.lmns_code
              and (l.effective_from is null or l.effective_from <= rm.last_day)
              and (l.effective_to is null or l.effective_to >= rm.first_day))
    end as region_code,
    case when p.months_present >= p.window_months then 1 else 0 end as window_complete
from placed p;
