//! The verifier's credential lookup, behind a trait so a server can back it with its own storage.

use std::collections::HashMap;

/// Looks up what the verifier knows about a key id (an API key, a client id).
pub trait KeyStore: Send + Sync {
    /// What is stored per key (typically an `Arc` of a prebuilt signer plus permissions).
    type Record;

    /// The record of `key_id`, if registered.
    fn lookup(&self, key_id: &str) -> Option<Self::Record>;
}

/// An in-memory [`KeyStore`].
#[derive(Debug, Clone)]
pub struct MemoryKeyStore<R> {
    records: HashMap<String, R>,
}

impl<R> Default for MemoryKeyStore<R> {
    fn default() -> Self {
        MemoryKeyStore {
            records: HashMap::new(),
        }
    }
}

impl<R> MemoryKeyStore<R> {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers (or replaces) `key_id`.
    pub fn insert(&mut self, key_id: impl Into<String>, record: R) {
        self.records.insert(key_id.into(), record);
    }

    /// Number of registered keys.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether no key is registered.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

impl<R: Clone + Send + Sync> KeyStore for MemoryKeyStore<R> {
    type Record = R;

    fn lookup(&self, key_id: &str) -> Option<R> {
        self.records.get(key_id).cloned()
    }
}

impl<K: KeyStore + ?Sized> KeyStore for std::sync::Arc<K> {
    type Record = K::Record;

    fn lookup(&self, key_id: &str) -> Option<Self::Record> {
        (**self).lookup(key_id)
    }
}
