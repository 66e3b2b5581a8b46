DROP TRIGGER users_announce_change ON users;
DROP FUNCTION devicepool_account_changed();
