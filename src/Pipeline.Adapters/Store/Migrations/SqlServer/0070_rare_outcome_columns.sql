-- Rare outcomes (issue #19). "Silence is not equity" (docs/detection.md, "Silence is not equity"): the smallest ratio each comparison could have
-- alerted on its window's expected counts, in the worse direction (null: none could), and whether that covers a doubling
-- (1/0; null only on rows computed before this migration). Rare-event indicators (docs/detection.md, "Rare outcomes"): each group's Poisson
-- CUSUM statistic against the reference group's rate over the pooled window, and the threshold h it is compared with
-- (both null for other indicators); signal_rule may now be 'cusum'. v_group_comparison shows them from 0072.
-- Rows computed before this migration have nulls here until `pipeline recompute` refreshes them.
alter table group_comparison add min_detectable_ratio float null, detects_doubling bit null, cusum float null, cusum_threshold float null;
