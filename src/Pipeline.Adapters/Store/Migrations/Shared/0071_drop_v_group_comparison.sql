-- v_group_comparison gains 0070's columns (0072); a view is replaced by dropping it first, alone in its script.
drop view v_group_comparison;
