-- Why: the records behind issue 4's endpoints: school switches, holidays,
-- the lesson grid, absences, measures, study guides with their assignments
-- and ticks, messages and calendar links. Booleans are INTEGER 0/1 here,
-- which both backends store without a driver-specific bool type. Times are
-- unix milliseconds, dates yyyy-MM-dd, as in 0001.

CREATE TABLE school_switches (
    school_id INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    is_on     INTEGER NOT NULL,
    PRIMARY KEY (school_id, name)
);

CREATE TABLE holidays (
    id        INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date   TEXT NOT NULL
);

CREATE TABLE lesson_hours (
    school_id  INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    number     INTEGER NOT NULL,
    begin_time TEXT NOT NULL,
    end_time   TEXT NOT NULL,
    PRIMARY KEY (school_id, number)
);

CREATE TABLE absence_reasons (
    id          INTEGER PRIMARY KEY,
    school_id   INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    abbrev      TEXT NOT NULL,
    description TEXT NOT NULL,
    kind        TEXT NOT NULL,
    authorised  INTEGER NOT NULL
);

CREATE TABLE absence_reports (
    id         INTEGER PRIMARY KEY,
    school_id  INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    pupil_id   INTEGER NOT NULL REFERENCES pupils (id) ON DELETE CASCADE,
    reason_id  INTEGER NOT NULL,
    staff_id   INTEGER NOT NULL,
    entered_at INTEGER NOT NULL,
    start_at   INTEGER NOT NULL,
    end_at     INTEGER,
    begin_hour INTEGER NOT NULL,
    end_hour   INTEGER NOT NULL,
    handled    INTEGER NOT NULL,
    remarks    TEXT NOT NULL
);

CREATE INDEX absence_reports_by_pupil ON absence_reports (pupil_id, start_at, id);

CREATE TABLE observations (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    pupil_id     INTEGER NOT NULL REFERENCES pupils (id) ON DELETE CASCADE,
    lesson_id    INTEGER NOT NULL,
    reason_id    INTEGER NOT NULL,
    staff_id     INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    registration TEXT NOT NULL,
    authorised   INTEGER NOT NULL,
    handled      INTEGER NOT NULL,
    entered_at   INTEGER NOT NULL,
    start_at     INTEGER NOT NULL,
    end_at       INTEGER NOT NULL,
    begin_hour   INTEGER NOT NULL,
    end_hour     INTEGER NOT NULL
);

CREATE INDEX observations_by_pupil ON observations (pupil_id, start_at, id);

CREATE TABLE measures (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    pupil_id     INTEGER NOT NULL REFERENCES pupils (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    measure_date TEXT NOT NULL,
    done         INTEGER NOT NULL,
    remarks      TEXT NOT NULL,
    automatic    INTEGER NOT NULL,
    cause        TEXT NOT NULL
);

CREATE TABLE study_guides (
    id        INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    group_id  INTEGER NOT NULL REFERENCES class_groups (id) ON DELETE CASCADE,
    uuid      TEXT NOT NULL,
    name      TEXT NOT NULL
);

CREATE TABLE homework (
    id          INTEGER PRIMARY KEY,
    school_id   INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    guide_id    INTEGER NOT NULL REFERENCES study_guides (id) ON DELETE CASCADE,
    group_id    INTEGER NOT NULL,
    item_id     INTEGER NOT NULL,
    year_id     INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    lesson_id   INTEGER NOT NULL,
    due_at      INTEGER NOT NULL,
    iso_year    INTEGER NOT NULL,
    week_from   INTEGER NOT NULL,
    week_to     INTEGER NOT NULL,
    topic       TEXT NOT NULL,
    hw_type     TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    sort_order  INTEGER NOT NULL
);

-- One list of one group from a date is one range scan.
CREATE INDEX homework_by_group ON homework (group_id, kind, due_at, id);

CREATE TABLE homework_done (
    id          INTEGER PRIMARY KEY,
    school_id   INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    homework_id INTEGER NOT NULL REFERENCES homework (id) ON DELETE CASCADE,
    pupil_id    INTEGER NOT NULL REFERENCES pupils (id) ON DELETE CASCADE,
    done        INTEGER NOT NULL,
    UNIQUE (homework_id, pupil_id)
);

CREATE TABLE conversations (
    id        INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    sender_id INTEGER NOT NULL,
    subject   TEXT NOT NULL,
    body      TEXT NOT NULL,
    sent_at   INTEGER NOT NULL
);

CREATE TABLE conversation_recipients (
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    is_read         INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);

CREATE INDEX conversation_recipients_by_account
    ON conversation_recipients (account_id, conversation_id);

CREATE TABLE ical_links (
    account_id INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    school_id  INTEGER NOT NULL,
    secret     TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
