-- The detection views gain the LMNS and region each row belongs to (0061, 0062); a view is replaced by dropping it first.
drop view v_group_comparison;
drop view v_deprivation_gradient;
