-- v_submission_status starts at the deployment's first month (0066); a view is replaced by dropping it first.
drop view v_submission_status;
