//! How a person knows their own anonymous items without the shared file
//! knowing it. Each person has a key that only they hold (kept in their own
//! state folder, never in the database). From it come:
//! - claims: a card or dot carries a one-way digest of the key and the
//!   item's random id, so its writer finds theirs again after a restart, and
//!   only they can take it back;
//! - tokens: who has answered a poll or a pulse is a digest of the key and
//!   the ritual, so each person answers once, and no name is stored.
//!
//! Without the key, a claim or token looks like a random number, unlinked
//! to any other claim or token of the same person.

use sha2::{Digest, Sha256};

/// What a claim is of: the kind goes into the digest, so a card's claim
/// can never stand for a vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimKind {
    /// A retro card, or a pre-mortem reason.
    Card,
    /// One dot of a retro vote.
    Dot,
}

impl ClaimKind {
    fn label(self) -> &'static [u8] {
        match self {
            ClaimKind::Card => b"card",
            ClaimKind::Dot => b"dot",
        }
    }
}

/// A person's own secret: 32 random bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct PersonKey([u8; 32]);

impl std::fmt::Debug for PersonKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PersonKey(..)")
    }
}

impl PersonKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// A new key from the system's random source (for a session whose key
    /// cannot be kept: its items are its own until it ends).
    pub fn random() -> Self {
        let mut bytes = [0u8; 32];
        // No random source is a broken system: the key is then derived from
        // the time and process, which still keeps claims apart per session.
        if getrandom::fill(&mut bytes).is_err() {
            let seed = format!("{:?}{}", std::time::SystemTime::now(), std::process::id());
            bytes.copy_from_slice(&Sha256::digest(seed.as_bytes()));
        }
        Self(bytes)
    }

    /// A key that is the same for the same name (as people fold): for
    /// tests, never for people.
    pub fn for_name(name: &str) -> Self {
        let mut h = Sha256::new();
        h.update(b"teamloop fixed key for ");
        h.update(crate::domain::person::fold(name).as_bytes());
        Self(h.finalize().into())
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The claim this key makes on item `id` of `kind`.
    pub fn claim(&self, kind: ClaimKind, id: i64) -> Vec<u8> {
        let mut h = Sha256::new();
        h.update(b"teamloop claim v1\0");
        h.update(kind.label());
        h.update([0]);
        h.update(self.0);
        h.update(id.to_le_bytes());
        h.finalize().to_vec()
    }

    /// This key's token for ritual `id` of kind `what` (a poll or a pulse),
    /// as hex.
    pub fn token(&self, what: &str, id: i64) -> String {
        let mut h = Sha256::new();
        h.update(b"teamloop token v1\0");
        h.update(what.as_bytes());
        h.update([0]);
        h.update(self.0);
        h.update(id.to_le_bytes());
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// A random number from the system's source.
pub fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        bytes = PersonKey::random().0[..8].try_into().unwrap_or_default();
    }
    u64::from_le_bytes(bytes)
}

/// A random positive id (it fits a JSON number exactly), so that the order
/// of rows tells nothing of who wrote them when.
pub fn random_id() -> i64 {
    (random_u64() & ((1 << 53) - 1)) as i64 + 1
}

/// Puts `items` in a random order (Fisher-Yates, the system's randomness).
pub fn shuffle<T>(items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = (random_u64() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_tell_nothing_without_the_key() {
        let ana = PersonKey::for_name("ana");
        let ben = PersonKey::for_name("ben");
        assert_eq!(ana.claim(ClaimKind::Card, 7), ana.claim(ClaimKind::Card, 7));
        assert_ne!(ana.claim(ClaimKind::Card, 7), ben.claim(ClaimKind::Card, 7));
        assert_ne!(ana.claim(ClaimKind::Card, 7), ana.claim(ClaimKind::Dot, 7));
        assert_ne!(ana.claim(ClaimKind::Card, 7), ana.claim(ClaimKind::Card, 8));
        assert_eq!(ana.claim(ClaimKind::Dot, 1).len(), 32);
        assert_ne!(PersonKey::random(), PersonKey::random());
        assert_eq!(ana.token("pulse", 3), ana.token("pulse", 3));
        assert_ne!(ana.token("pulse", 3), ana.token("pulse", 4));
        assert_ne!(ana.token("pulse", 3), ana.token("safety", 3));
        assert_ne!(ana.token("pulse", 3), ben.token("pulse", 3));
    }

    #[test]
    fn random_ids_are_positive_and_fit_json() {
        for _ in 0..1000 {
            let id = random_id();
            assert!((1..=1 << 53).contains(&id));
        }
        let mut v: Vec<u32> = (0..50).collect();
        shuffle(&mut v);
        let mut sorted = v.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
    }
}
