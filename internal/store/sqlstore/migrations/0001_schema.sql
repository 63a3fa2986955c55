-- Why: the first schema, everything school.Store keeps. Times are INTEGER unix
-- milliseconds in UTC, dates are yyyy-MM-dd text, booleans are BOOLEAN (0/1 in
-- SQLite). Slices inside entities live in child tables. Ids come from the
-- world generator, so no table numbers its own rows.

CREATE TABLE schools (
    id                 INTEGER PRIMARY KEY,
    uuid               TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    city               TEXT NOT NULL,
    tenant             TEXT NOT NULL,
    abbrev             TEXT NOT NULL,
    password_grant_off BOOLEAN NOT NULL
);

CREATE TABLE school_oidc_urls (
    school_id   INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    description TEXT NOT NULL,
    url         TEXT NOT NULL,
    domain_hint TEXT NOT NULL,
    PRIMARY KEY (school_id, seq)
);

CREATE TABLE branches (
    id        INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    uuid      TEXT NOT NULL,
    name      TEXT NOT NULL
);

CREATE TABLE school_years (
    id        INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date   TEXT NOT NULL
);

CREATE INDEX school_years_by_start ON school_years (school_id, from_date, id);

CREATE TABLE subjects (
    id        INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    uuid      TEXT NOT NULL,
    abbrev    TEXT NOT NULL,
    name      TEXT NOT NULL
);

CREATE INDEX subjects_by_abbrev ON subjects (school_id, abbrev, id);

CREATE TABLE staff (
    id          INTEGER PRIMARY KEY,
    school_id   INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    uuid        TEXT NOT NULL,
    number      INTEGER NOT NULL,
    abbrev      TEXT NOT NULL,
    first_name  TEXT NOT NULL,
    name_prefix TEXT NOT NULL,
    last_name   TEXT NOT NULL,
    initials    TEXT NOT NULL,
    gender      TEXT NOT NULL
);

CREATE TABLE pupils (
    id          INTEGER PRIMARY KEY,
    school_id   INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    branch_id   INTEGER NOT NULL,
    uuid        TEXT NOT NULL,
    number      INTEGER NOT NULL,
    first_name  TEXT NOT NULL,
    name_prefix TEXT NOT NULL,
    last_name   TEXT NOT NULL,
    email       TEXT NOT NULL,
    mobile      TEXT NOT NULL,
    birth_date  TEXT NOT NULL,
    gender      TEXT NOT NULL,
    photo_token TEXT NOT NULL
);

-- "groups" is a keyword in SQLite's window syntax, hence class_groups.
CREATE TABLE class_groups (
    id         INTEGER PRIMARY KEY,
    school_id  INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    year_id    INTEGER NOT NULL,
    uuid       TEXT NOT NULL,
    name       TEXT NOT NULL,
    subject_id INTEGER NOT NULL
);

CREATE TABLE group_pupils (
    group_id INTEGER NOT NULL REFERENCES class_groups (id) ON DELETE CASCADE,
    pupil_id INTEGER NOT NULL REFERENCES pupils (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, pupil_id)
);

-- Lessons are found from the pupils: pupil -> groups -> lessons.
CREATE INDEX group_pupils_by_pupil ON group_pupils (pupil_id, group_id);

CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    school_id     INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    uuid          TEXT NOT NULL,
    username      TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    person_id     INTEGER NOT NULL,
    first_name    TEXT NOT NULL,
    name_prefix   TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    demo_password TEXT NOT NULL,
    UNIQUE (school_id, username)
);

CREATE TABLE account_pupils (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    pupil_id   INTEGER NOT NULL REFERENCES pupils (id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, seq)
);

CREATE TABLE lessons (
    id          INTEGER PRIMARY KEY,
    school_id   INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    branch_id   INTEGER NOT NULL,
    group_id    INTEGER NOT NULL REFERENCES class_groups (id) ON DELETE CASCADE,
    subject_id  INTEGER NOT NULL,
    start_at    INTEGER NOT NULL,
    end_at      INTEGER NOT NULL,
    begin_hour  INTEGER NOT NULL,
    end_hour    INTEGER NOT NULL,
    location    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    status      TEXT NOT NULL
);

-- A week of one group's lessons is one range scan.
CREATE INDEX lessons_by_group_start ON lessons (group_id, start_at, id);

CREATE TABLE lesson_staff (
    lesson_id INTEGER NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    staff_id  INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    PRIMARY KEY (lesson_id, seq)
);

-- PupilsTaughtBy starts from the teacher.
CREATE INDEX lesson_staff_by_staff ON lesson_staff (staff_id, lesson_id);

CREATE TABLE grades (
    id                  INTEGER PRIMARY KEY,
    school_id           INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    pupil_id            INTEGER NOT NULL REFERENCES pupils (id) ON DELETE CASCADE,
    subject_id          INTEGER NOT NULL,
    column_id           INTEGER NOT NULL,
    cijfer_column_id    INTEGER NOT NULL,
    composite_column_id INTEGER NOT NULL,
    type                TEXT NOT NULL,
    tenths              INTEGER NOT NULL,
    has_value           BOOLEAN NOT NULL,
    current_tenths      INTEGER NOT NULL,
    label               TEXT NOT NULL,
    entered_at          INTEGER NOT NULL,
    weight              INTEGER NOT NULL,
    exam_weight         INTEGER NOT NULL,
    period              INTEGER NOT NULL,
    study_year          INTEGER NOT NULL,
    description         TEXT NOT NULL,
    seq                 INTEGER NOT NULL,
    test_kind           TEXT NOT NULL,
    not_counting        BOOLEAN NOT NULL,
    not_made            BOOLEAN NOT NULL,
    exempt              BOOLEAN NOT NULL,
    resit_type          TEXT NOT NULL,
    resit_number        INTEGER NOT NULL,
    in_exam             BOOLEAN NOT NULL,
    in_progress         BOOLEAN NOT NULL,
    report_tenths       INTEGER NOT NULL,
    has_report_tenths   BOOLEAN NOT NULL
);

-- The grades page of one pupil, in entry order, is one range scan.
CREATE INDEX grades_by_pupil_entered ON grades (pupil_id, entered_at, id);

CREATE TABLE token_families (
    id         TEXT PRIMARY KEY,
    revoked_at INTEGER
);

CREATE TABLE refresh_tokens (
    hash       TEXT PRIMARY KEY,
    family_id  TEXT NOT NULL REFERENCES token_families (id) ON DELETE CASCADE,
    school_id  INTEGER NOT NULL,
    account_id INTEGER NOT NULL,
    client_id  TEXT NOT NULL,
    scope      TEXT NOT NULL,
    issued_at  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    rotated_at INTEGER
);

CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id);

CREATE TABLE signing_keys (
    kid         TEXT PRIMARY KEY,
    private_pem TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

-- Counted per (school, username) string, whether or not the account exists.
CREATE TABLE login_attempts (
    school_id    INTEGER NOT NULL,
    username     TEXT NOT NULL,
    failures     INTEGER NOT NULL,
    locked_until INTEGER,
    PRIMARY KEY (school_id, username)
);
