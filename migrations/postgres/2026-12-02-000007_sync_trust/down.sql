ALTER TABLE sync_mutations DROP COLUMN content_hash;
DROP TABLE scope_entries;
