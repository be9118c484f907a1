-- name: resubmission_history
-- question: Which trust-months were resubmitted, and which file replaced which (history is kept, nothing is deleted)?
-- parameters: none
-- engines: SQLite and SQL Server as written.
select earlier.organisation_code, earlier.reporting_period, earlier.file_name as replaced_file, earlier.received_at as replaced_received_at,
       later.file_name as replacing_file, later.received_at as replacing_received_at, later.status as replacing_status
from submission earlier
join submission later on later.id = earlier.superseded_by
where earlier.status = 'superseded'
order by earlier.organisation_code, earlier.reporting_period, earlier.received_at;
