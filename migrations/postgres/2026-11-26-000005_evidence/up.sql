-- Photo evidence: the record (made by the device, often offline, before any byte is uploaded),
-- the content-addressed originals it points to, and resumable (tus) uploads in progress.

-- One stored original per SHA-256: the same photo attached twice is kept once.
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY NOT NULL,
    size_bytes BIGINT NOT NULL,
    media_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    -- EXIF orientation (1-8), applied to thumbnails
    orientation INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE evidence (
    id TEXT PRIMARY KEY NOT NULL,
    inspection_id TEXT NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    device_id TEXT,
    caption TEXT,
    -- what the device says about when and where it took the photo
    claimed_taken_at TIMESTAMP,
    claimed_latitude DOUBLE PRECISION,
    claimed_longitude DOUBLE PRECISION,
    -- 'pending' until the bytes arrive and are verified, then 'stored'
    upload_state TEXT NOT NULL CHECK (upload_state IN ('pending', 'stored')),
    sha256 TEXT REFERENCES blobs (sha256),
    size_bytes BIGINT,
    media_type TEXT,
    width INTEGER,
    height INTEGER,
    -- what the photo's own EXIF says (capture time as written by the camera, local time with
    -- its offset when the camera recorded one)
    exif_taken_at TEXT,
    exif_latitude DOUBLE PRECISION,
    exif_longitude DOUBLE PRECISION,
    orientation INTEGER,
    uploaded_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX evidence_inspection ON evidence (inspection_id);
CREATE INDEX evidence_sha256 ON evidence (sha256);

-- A tus upload in progress. The bytes so far sit in a part file named by id; `received` is the
-- offset the client resumes from.
CREATE TABLE uploads (
    id TEXT PRIMARY KEY NOT NULL,
    evidence_id TEXT NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id),
    length BIGINT NOT NULL,
    received BIGINT NOT NULL DEFAULT 0,
    metadata TEXT,
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX uploads_expires ON uploads (expires_at);
