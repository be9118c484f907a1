-- v_submission_status is limited to the deployment's region(s) and to ended months, by the application's clock (0064);
-- a view is replaced by dropping it first.
drop view v_submission_status;
