-- A perceptual hash of each stored image (docs/evidence.md, "Near-duplicates"): 16 hex
-- digits, 64 bits, compared by Hamming distance to flag near-duplicate evidence. NULL for
-- blobs stored before this column; the server fills those in the background at start.
ALTER TABLE blobs ADD COLUMN phash TEXT;
