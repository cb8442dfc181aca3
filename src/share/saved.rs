//! What autosave keeps in storage and what start-up makes of it: the part of autosaving
//! that has no reactivity, written over the [`Store`] trait so that it is tested natively
//! (a map with a quota stands in for localStorage).
//!
//! Three things a plain "save, restore" gets wrong, each handled here:
//! - A save the browser refuses (storage full) leaves the previous save in place. It is
//!   kept, marked stale ([`STALE_KEY`]), and the next start says that what it brings back
//!   is older than the work that was on screen ([`Notice::Stale`]).
//! - A save written by a newer Scalescope (a newer link format) cannot be read here; this
//!   page's own saves would overwrite it. It is copied aside ([`NEWER_KEY`]) first, and a
//!   page that can read it offers it back ([`Found::aside`]). Where there is no room to
//!   copy it, this page does not autosave at all ([`Found::may_save`]).
//! - A save that is damaged is reported ([`Notice::Unreadable`]) and then replaced.

use scalescope_core::share::{decode, Link, ShareError, VERSION};
use std::fmt;

/// The autosaved work (a link fragment).
pub const AUTOSAVE_KEY: &str = "scalescope.autosave";
/// Present while [`AUTOSAVE_KEY`] holds an older state than the page last had (a save was
/// refused).
pub const STALE_KEY: &str = "scalescope.autosave-stale";
/// Work autosaved by a newer Scalescope, kept aside so that an older page does not
/// overwrite it.
pub const NEWER_KEY: &str = "scalescope.autosave-newer";
/// The work from before an opened link, until it is restored or replaced.
pub const BEFORE_LINK_KEY: &str = "scalescope.before-link";

/// Key-value text storage as autosave uses it: localStorage on the page.
pub trait Store {
    /// The value under `key`, if any.
    fn read(&self, key: &str) -> Option<String>;
    /// Stores `value` under `key`; `false` when the storage refuses (e.g. it is full), in
    /// which case the previous value is unchanged.
    fn write(&self, key: &str, value: &str) -> bool;
    /// Removes `key` (nothing when it is absent).
    fn remove(&self, key: &str);
}

impl Store for web_sys::Storage {
    fn read(&self, key: &str) -> Option<String> {
        self.get_item(key).ok().flatten()
    }
    fn write(&self, key: &str, value: &str) -> bool {
        self.set_item(key, value).is_ok()
    }
    fn remove(&self, key: &str) {
        let _ = self.remove_item(key);
    }
}

/// What start-up found in storage.
#[derive(Debug, PartialEq)]
pub struct Found {
    /// The autosaved work, when it reads.
    pub work: Option<Link>,
    /// What the page must tell the user about it.
    pub notice: Option<Notice>,
    /// Work an older page kept aside (it was saved by a newer version) and this page reads:
    /// offered back.
    pub aside: Option<Link>,
    /// Whether this page may autosave: `false` while a newer version's work is in
    /// [`AUTOSAVE_KEY`] and could not be copied aside (saving would destroy it).
    pub may_save: bool,
}

/// Something about the autosaved work that the user must be told on start.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// The last save was refused: the work brought back is older than what was on screen.
    Stale,
    /// The saved work could not be read.
    Unreadable(ShareError),
    /// Saved by a newer version (link format `version`); copied to [`NEWER_KEY`].
    KeptAside {
        /// The saved work's link format.
        version: u8,
    },
    /// Saved by a newer version, and no room to copy it aside: autosave is off.
    NotSaving {
        /// The saved work's link format.
        version: u8,
    },
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Notice::Stale => f.write_str(
                "Your latest changes could not be autosaved (the browser's storage was full): \
                 the autosaved work brought back here is from the last save that succeeded, so \
                 it may be older than what you last saw.",
            ),
            Notice::Unreadable(e) => write!(
                f,
                "Your autosaved work could not be restored ({e}); the page starts from the \
                 example."
            ),
            Notice::KeptAside { version } => write!(
                f,
                "Your autosaved work was made by a newer version of Scalescope (format \
                 {version}; this page reads formats up to {VERSION}), so the page starts from \
                 the example. That work is kept aside, not overwritten: the newer version \
                 offers it back."
            ),
            Notice::NotSaving { version } => write!(
                f,
                "Your autosaved work was made by a newer version of Scalescope (format \
                 {version}; this page reads formats up to {VERSION}), so the page starts from \
                 the example. The browser's storage has no room to keep it aside, so this page \
                 does not autosave (it would overwrite it): use a share link or an export to \
                 keep what you do here."
            ),
        }
    }
}

/// Reads the autosaved work and what to say about it; keeps a newer version's work aside.
pub fn load(store: &dyn Store) -> Found {
    let mut found = Found {
        work: None,
        notice: None,
        aside: store.read(NEWER_KEY).and_then(|t| decode(&t).ok()),
        may_save: true,
    };
    let Some(text) = store.read(AUTOSAVE_KEY) else {
        store.remove(STALE_KEY);
        return found;
    };
    match decode(&text) {
        Ok(link) => {
            if store.read(STALE_KEY).is_some() {
                found.notice = Some(Notice::Stale);
            }
            found.work = Some(link);
        }
        Err(ShareError::FutureVersion { version }) => {
            found.notice = Some(if store.write(NEWER_KEY, &text) {
                Notice::KeptAside { version }
            } else {
                found.may_save = false;
                Notice::NotSaving { version }
            });
        }
        Err(e) => found.notice = Some(Notice::Unreadable(e)),
    }
    found
}

/// Why a save did not happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveError {
    /// The page cannot use storage at all.
    NoStorage,
    /// The storage refused the work (full). `older_kept`: an earlier save is still there,
    /// marked stale (the next start says so); otherwise nothing is saved.
    Full {
        /// Whether an earlier, older save remains (marked stale).
        older_kept: bool,
    },
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SaveError::NoStorage => {
                "Autosave is off: this browser does not allow the page to store data."
            }
            SaveError::Full { older_kept: true } => {
                "Autosave failed: the work is too large for this browser's storage. A reload \
                 brings back an older autosave (and says so): use a share link or an export \
                 to keep this work."
            }
            SaveError::Full { older_kept: false } => {
                "Autosave failed: the work is too large for this browser's storage, and \
                 nothing is saved. Use a share link or an export to keep it."
            }
        })
    }
}

/// Saves `fragment` as the autosaved work. When the storage refuses it, the earlier save is
/// marked stale; when even the mark cannot be stored, the earlier save is removed (an old
/// state must never come back as if it were the latest).
///
/// # Errors
/// [`SaveError::Full`] when the storage refuses the work.
pub fn save(store: &dyn Store, fragment: &str) -> Result<(), SaveError> {
    if store.write(AUTOSAVE_KEY, fragment) {
        store.remove(STALE_KEY);
        return Ok(());
    }
    let older = store.read(AUTOSAVE_KEY).is_some();
    let older_kept = older && store.write(STALE_KEY, "1");
    if !older_kept {
        store.remove(AUTOSAVE_KEY);
    }
    Err(SaveError::Full { older_kept })
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64ct::{Base64UrlUnpadded, Encoding as _};
    use scalescope_core::share::{encode, to_bytes, FullState};
    use scalescope_core::Form;
    use std::cell::RefCell;
    use std::collections::BTreeMap;

    /// localStorage as the tests need it: a map that refuses a write taking the total
    /// length of its values over `quota` (the old value of the key is replaced).
    struct Quota {
        map: RefCell<BTreeMap<String, String>>,
        quota: usize,
    }

    impl Quota {
        fn new(quota: usize) -> Self {
            Quota {
                map: RefCell::new(BTreeMap::new()),
                quota,
            }
        }
    }

    impl Store for Quota {
        fn read(&self, key: &str) -> Option<String> {
            self.map.borrow().get(key).cloned()
        }
        fn write(&self, key: &str, value: &str) -> bool {
            let mut map = self.map.borrow_mut();
            let others: usize = map
                .iter()
                .filter(|(k, _)| k.as_str() != key)
                .map(|(k, v)| k.len() + v.len())
                .sum();
            if others + key.len() + value.len() > self.quota {
                return false;
            }
            map.insert(key.into(), value.into());
            true
        }
        fn remove(&self, key: &str) {
            self.map.borrow_mut().remove(key);
        }
    }

    fn work(rows: usize) -> Link {
        let csv: String = (1..=rows)
            .map(|i| format!("{},{}\n", 1e6 * i as f64, 4.0 / i as f64))
            .collect();
        Link::Full(FullState::new(format!("N,loss\n{csv}"), Form::Power))
    }

    /// Guards against the bug of issue 15: a refused save left the older save, which the
    /// next start restored as if it were the latest work.
    #[test]
    fn a_refused_save_keeps_the_older_work_marked_stale() {
        let small = encode(&work(3));
        let store = Quota::new(small.len() + 200);
        assert_eq!(save(&store, &small), Ok(()));
        let big = encode(&work(400));
        assert!(big.len() > small.len() + 200);
        assert_eq!(
            save(&store, &big),
            Err(SaveError::Full { older_kept: true })
        );
        let found = load(&store);
        assert_eq!(found.work, Some(work(3)));
        assert_eq!(found.notice, Some(Notice::Stale));
        assert!(found
            .notice
            .is_some_and(|n| n.to_string().contains("may be older")));
        // The next save that succeeds clears the mark: the start after says nothing.
        assert_eq!(save(&store, &encode(&work(4))), Ok(()));
        let found = load(&store);
        assert_eq!((found.work, found.notice), (Some(work(4)), None));
    }

    /// Where not even the mark fits, the older save goes: no stale state comes back.
    #[test]
    fn a_refused_save_without_room_for_the_mark_removes_the_older_work() {
        let small = encode(&work(3));
        let store = Quota::new(AUTOSAVE_KEY.len() + small.len());
        assert_eq!(save(&store, &small), Ok(()));
        assert_eq!(
            save(&store, &encode(&work(400))),
            Err(SaveError::Full { older_kept: false })
        );
        let found = load(&store);
        assert_eq!((found.work, found.notice), (None, None));
        assert!(found.may_save);
    }

    /// A newer version's save (format VERSION + 1) is copied aside before this page's first
    /// save replaces it; a page that reads it offers it back.
    #[test]
    fn a_newer_versions_work_is_kept_aside_and_offered_back() {
        let store = Quota::new(1 << 20);
        let mut newer = to_bytes(&work(5));
        newer[0] = VERSION + 1;
        let newer = Base64UrlUnpadded::encode_string(&newer);
        assert!(store.write(AUTOSAVE_KEY, &newer));
        let found = load(&store);
        assert_eq!(found.work, None);
        assert_eq!(
            found.notice,
            Some(Notice::KeptAside {
                version: VERSION + 1
            })
        );
        assert!(found.may_save);
        assert_eq!(store.read(NEWER_KEY).as_deref(), Some(newer.as_str()));
        // This page's own save no longer destroys it.
        assert_eq!(save(&store, &encode(&work(3))), Ok(()));
        assert_eq!(store.read(NEWER_KEY).as_deref(), Some(newer.as_str()));
        // A page that can read it (here: the same bytes with this version) offers it back.
        let readable = encode(&work(5));
        assert!(store.write(NEWER_KEY, &readable));
        let found = load(&store);
        assert_eq!(found.work, Some(work(3)));
        assert_eq!(found.aside, Some(work(5)));
        assert_eq!(found.notice, None);
    }

    /// No room to copy a newer version's work aside: the page must not autosave over it.
    #[test]
    fn without_room_to_keep_a_newer_versions_work_autosave_is_off() {
        let mut newer = to_bytes(&work(50));
        newer[0] = VERSION + 1;
        let newer = Base64UrlUnpadded::encode_string(&newer);
        let store = Quota::new(AUTOSAVE_KEY.len() + newer.len() + 10);
        assert!(store.write(AUTOSAVE_KEY, &newer));
        let found = load(&store);
        assert!(!found.may_save);
        assert_eq!(
            found.notice,
            Some(Notice::NotSaving {
                version: VERSION + 1
            })
        );
        assert_eq!(store.read(AUTOSAVE_KEY).as_deref(), Some(newer.as_str()));
    }

    #[test]
    fn damaged_work_is_reported() {
        let store = Quota::new(1 << 20);
        assert!(store.write(AUTOSAVE_KEY, "AXjaGARBAGE"));
        let found = load(&store);
        assert!(matches!(found.notice, Some(Notice::Unreadable(_))));
        assert!(found.notice.is_some_and(|n| n
            .to_string()
            .contains("autosaved work could not be restored")));
    }
}
