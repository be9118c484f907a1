-- name: firing_alerts_per_route
-- question: How many equity alerts are firing for each LMNS and region lead, as the equity report and `pipeline alerts` count them?
-- counts: firing is the alert's status (docs/alerts.md §2); equity rules are ratio (CUSUM alerts are stored as ratio), spc and gradient: a gradient alert is an alert.
-- parameters: none
-- engines: SQLite and SQL Server as written.
select route_scope, route_code,
       sum(case when severity = 'alert' then 1 else 0 end) as alerts,
       sum(case when severity = 'watch' then 1 else 0 end) as watches,
       sum(case when alert_rule = 'gradient' then 1 else 0 end) as gradient_alerts
from alert
where status = 'firing'
  and alert_rule in ('ratio', 'spc', 'gradient')
group by route_scope, route_code
order by route_scope, route_code;
