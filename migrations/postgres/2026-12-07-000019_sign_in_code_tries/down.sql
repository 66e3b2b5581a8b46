ALTER TABLE magic_link_tokens DROP COLUMN code_failures;
