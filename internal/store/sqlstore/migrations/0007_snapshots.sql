-- Why: the admin API saves the school data under a name and restores it
-- later, on whichever node is asked, so snapshots live in the database. The
-- data is the gzipped JSON of the world (see snapshots.go); the counts let a
-- list answer without opening it. Reset leaves this table alone on purpose:
-- a test may reset the world and then restore a snapshot of its own.

CREATE TABLE snapshots (
    name       TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    schools    INTEGER NOT NULL,
    pupils     INTEGER NOT NULL,
    data       BLOB NOT NULL
);
