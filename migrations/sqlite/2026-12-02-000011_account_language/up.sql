-- The language an account reads the service in (problems, pages); NULL until chosen, and
-- then the server's default applies. A student account follows the student record.
ALTER TABLE users ADD COLUMN preferred_language TEXT CHECK (preferred_language IN ('nl', 'en'));
UPDATE users SET preferred_language = (
    SELECT students.preferred_language FROM students WHERE students.id = users.student_id
) WHERE student_id IS NOT NULL;
