DROP TABLE access_log;
DROP TABLE magic_link_tokens;
DROP TABLE outbox_messages;
DROP TABLE requests;
DROP INDEX users_student_key;
ALTER TABLE users DROP COLUMN student_id;
DROP TABLE students;
DROP TABLE tracks;
