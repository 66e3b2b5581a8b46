-- Wrong codes typed against a sign-in link's code: at five the link and its code are burnt.
ALTER TABLE magic_link_tokens ADD COLUMN code_failures INTEGER NOT NULL DEFAULT 0;
