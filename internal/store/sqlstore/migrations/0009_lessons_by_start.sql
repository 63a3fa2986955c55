-- Why: a week of lessons is a range of start times in one school. Without
-- this index PostgreSQL, once group_pupils grows (ten times the pupils in
-- a class), scans every lesson of the table for the window instead of
-- going through the pupil's groups: 4 ms instead of 0.4 ms a week.
CREATE INDEX lessons_by_school_start ON lessons (school_id, start_at, id);
