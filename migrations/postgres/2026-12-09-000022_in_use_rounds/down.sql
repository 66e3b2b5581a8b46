ALTER TABLE loans DROP COLUMN recalled_at;
DROP TABLE in_use_checks;
DROP TABLE in_use_rounds;
