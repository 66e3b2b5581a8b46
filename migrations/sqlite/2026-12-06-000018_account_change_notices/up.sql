-- Nothing to change on SQLite: one server process uses the file, and it makes its account
-- cache forget each account it changes itself (src/store/account_cache.rs). PostgreSQL's
-- migration of the same name announces changes to every instance.
SELECT 1;
