-- One row per level × organisation × indicator × window (design §5); SQL Server wants one view per batch, so one per file.
create view v_deprivation_gradient as
select
    level, organisation_code, indicator_code, window_months, period_end, sii, sii_ci_lower, sii_ci_upper, rii, rii_ci_lower,
    rii_ci_upper, signal, months_present, inhibited_reason, computed_at
from deprivation_gradient;
