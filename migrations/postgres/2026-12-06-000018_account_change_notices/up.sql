-- Every instance keeps the accounts behind access tokens in memory for a few seconds
-- (src/store/account_cache.rs). A changed or removed account is announced on commit, so each
-- instance forgets it at once: a disabled account, a new role or ended sessions count on every
-- instance, not only on the one that made the change.
CREATE FUNCTION devicepool_account_changed() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('devicepool_accounts', OLD.id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER users_announce_change
    AFTER UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION devicepool_account_changed();
