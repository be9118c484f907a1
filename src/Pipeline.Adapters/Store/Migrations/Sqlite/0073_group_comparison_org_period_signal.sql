-- #18: an alert evaluation reads, of each window, only the comparisons whose signal makes a rule hold (alert or watch), a
-- few hundred of a month's tens of thousands. With signal in the window's index those rows are sought directly instead of
-- every row of the window being fetched to test its signal. Recompute's deletes by window use the same index's prefix.
drop index ix_group_comparison_org_period;
create index ix_group_comparison_org_period on group_comparison (level, organisation_code, period_end, signal);
