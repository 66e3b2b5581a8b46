//! The accounts changed by the work running on a thread, noted by `store::users` as it writes
//! them and handed to the account cache once that work is done (`store::with_connection`), so
//! the cache forgets them only after their transactions have ended.

use std::cell::RefCell;

thread_local! {
    /// Accounts changed on this thread since its last hand-over.
    static NOTED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Notes that the account `id` changes in the work now running on this thread.
pub fn note_changed(id: &str) {
    NOTED.with(|n| n.borrow_mut().push(id.to_owned()));
}

/// The accounts this thread noted since the last call, and forgets them.
pub fn take_noted() -> Vec<String> {
    NOTED.with(|n| std::mem::take(&mut *n.borrow_mut()))
}
