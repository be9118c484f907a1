-- name: region_preterm_sii_trend
-- question: How has the region's slope index of inequality for preterm birth moved, window by window?
-- parameters: @region_code (NHS England region code, e.g. 'Y62')
-- engines: SQLite and SQL Server as written.
select period_end, window_months, months_present, window_complete,
       sii, sii_ci_lower, sii_ci_upper, rii, rii_ci_lower, rii_ci_upper, signal
from v_deprivation_gradient
where level = 'region'
  and region_code = @region_code
  and indicator_code = 'preterm_birth'
order by period_end;
