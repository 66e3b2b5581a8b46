-- A sign-in mail carries a short code beside its link, for a student who reads the mail on
-- another device than the one they sign in on. Only a keyed hash of the code is kept.
ALTER TABLE magic_link_tokens ADD COLUMN code_hash TEXT;
