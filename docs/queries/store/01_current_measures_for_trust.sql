-- name: current_measures_for_trust
-- question: What did a trust report for a month, from its current accepted submission only?
-- parameters: @organisation_code (ODS trust code, e.g. 'R0A'), @period ('yyyy-MM', e.g. '2026-10')
-- engines: SQLite and SQL Server as written.
select indicator_code, breakdown, group_code, numerator, denominator, submission_id, received_at
from v_measure_current
where organisation_code = @organisation_code
  and reporting_period = @period
order by indicator_code, breakdown, group_code;
