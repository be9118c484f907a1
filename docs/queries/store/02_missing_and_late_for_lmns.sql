-- name: missing_and_late_for_lmns
-- question: Which trusts in an LMNS have not submitted (or submitted late) for a month?
-- parameters: @lmns_code (the ICB's ODS code, e.g. 'QOP'), @period ('yyyy-MM')
-- engines: SQLite and SQL Server as written.
select organisation_code, organisation_name, status, deadline_at, first_accepted_at, submission_count, rejected_count
from v_submission_status
where lmns_code = @lmns_code
  and reporting_period = @period
  and status <> 'on_time'
order by case status when 'missing' then 0 else 1 end, organisation_name;
