-- The dashboard and "soonest due first" lists read a team's or organisation's open cases in
-- due order; open cases are few among all cases, so index them alone, in that order.
CREATE INDEX cases_open_due ON cases (organisation_id, (due_on IS NULL), due_on, id)
    WHERE status IN ('received', 'acknowledged', 'in_stage');
