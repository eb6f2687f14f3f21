-- The Care view's lists and counts read their indexes alone: the due-order indexes also hold
-- what the filters and groups need (all day, type, customer), so counting 100k+ planned
-- activities never visits the table, and a level or segment filter probes the customers'
-- level/segment index by customer id.
DROP INDEX care_assignee;
CREATE INDEX care_assignee ON care_activities (assignee_id, state, due_at, all_day, type_id, customer_id);
DROP INDEX care_state;
CREATE INDEX care_state ON care_activities (state, due_at, all_day, type_id, customer_id);
