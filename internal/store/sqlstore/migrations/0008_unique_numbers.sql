-- Why: a pupil's leerlingnummer and a staff member's number are unique within
-- their school, as the API's clients assume (the number is the pupil's
-- username); the admin API could otherwise make two of one number.
CREATE UNIQUE INDEX pupils_by_number ON pupils (school_id, number);
CREATE UNIQUE INDEX staff_by_number ON staff (school_id, number);
