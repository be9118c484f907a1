-- v_group_comparison as in 0061 (0011 plus lmns_code, region_code, window_complete), plus (last) 0070's columns: the
-- minimum detectable ratio and whether it covers a doubling, and the rare-event CUSUM statistic and its threshold.
-- Added at the end so positional readers of 0061's columns are unaffected.
create view v_group_comparison as
with placed as (
    select gc.*,
        case
            when gc.level = 'organisation' then (
                select min(om.lmns_code)
                from organisation_membership om
                join reporting_month rm on rm.period = gc.period_end
                where om.trust_code = gc.organisation_code
                  and (om.effective_from is null or om.effective_from <= rm.last_day)
                  and (om.effective_to is null or om.effective_to >= rm.first_day))
            when gc.level = 'lmns' then gc.organisation_code
        end as lmns_code
    from group_comparison gc
)
select
    p.level, p.organisation_code, p.indicator_code, p.breakdown, p.group_code, p.reference_group_code, p.window_months, p.period_end,
    p.numerator, p.denominator, p.value, p.ci_lower, p.ci_upper, p.reference_value, p.rate_ratio, p.rr_ci_lower, p.rr_ci_upper,
    p.rr_ci_lower_998, p.rr_ci_upper_998, p.direction, p.signal,
    p.absolute_difference, p.reference_numerator, p.reference_denominator, p.months_present, p.signal_rule, p.spc_rule, p.spc_concern,
    p.haldane_corrected, p.inhibited_reason, p.computed_at,
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
    case when p.months_present >= p.window_months then 1 else 0 end as window_complete,
    p.min_detectable_ratio, p.detects_doubling, p.cusum, p.cusum_threshold
from placed p;
