ALTER TABLE users DROP COLUMN preferred_language;
