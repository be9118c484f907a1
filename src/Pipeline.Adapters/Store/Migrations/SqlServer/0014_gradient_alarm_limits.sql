-- The RII's 99.8% simulated limits, which a gradient alert now needs to exclude 1 (95%: a watch), kept beside the 95%
-- ones as group_comparison keeps rr_ci_lower_998/rr_ci_upper_998. v_deprivation_gradient keeps the design's columns.
-- Rows computed before this migration have nulls here until `pipeline recompute` refreshes them.
alter table deprivation_gradient add rii_ci_lower_998 float null, rii_ci_upper_998 float null;
