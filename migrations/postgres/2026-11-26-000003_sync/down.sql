ALTER TABLE inspections DROP COLUMN field_meta;
ALTER TABLE answers DROP COLUMN hlc;
DROP TABLE conflicts;
DROP TABLE sync_mutations;
DROP TABLE scope_exits;
DROP TABLE change_heads;
DROP TABLE sync_counter;
