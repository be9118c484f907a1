-- name: not_submitted_last_month
-- question: Which of the region's trusts have no accepted file for last month (the latest month that has ended)?
-- parameters: none (the view lists ended months only, so its latest month is last month)
-- engines: SQLite and SQL Server as written.
select region_code, lmns_code, organisation_code, organisation_name, status, deadline_at, submission_count, rejected_count
from v_submission_status
where reporting_period = (select max(reporting_period) from v_submission_status)
  and status in ('missing', 'not_yet_due')
order by region_code, lmns_code, organisation_code;
