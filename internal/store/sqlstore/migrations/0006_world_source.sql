-- Why: a database filled from a world file keeps where its world came from
-- (a hash of the file's content), so that a server started again on the same
-- file keeps the data it finds, and one started on another file refuses
-- instead of mixing two worlds. No row: the demo world, or none yet.

CREATE TABLE world_source (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    source TEXT NOT NULL
);
