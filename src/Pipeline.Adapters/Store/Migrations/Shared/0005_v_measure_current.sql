-- Shared by both engines (plain SQL both accept); each view is its own script because SQL Server wants CREATE VIEW alone in a batch.
create view v_measure_current as
select m.submission_id, m.organisation_code, m.reporting_period, m.indicator_code, m.breakdown, m.group_code,
       m.numerator, m.denominator, s.received_at
from measure m
join submission s on s.id = m.submission_id
where s.status = 'accepted';
