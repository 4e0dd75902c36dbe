//! Seeds: one 64-bit run seed, and from it an independent ChaCha seed per
//! property, so adding a property never changes another's cases.

use crate::invariants::Property;
use sha2::{Digest, Sha256};

/// The 32-byte ChaCha seed of a property under a run seed.
pub fn property_seed(seed: u64, property: Property) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"gonogo/v1/");
    h.update(seed.to_le_bytes());
    h.update(property.name().as_bytes());
    h.finalize().into()
}

/// The 32-byte ChaCha seed of batch `b` of a property's cases: each batch
/// is its own stream, so batches can be drawn on any thread, in any order.
pub fn batch_seed(property_seed: &[u8; 32], b: usize) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"gonogo/v1/batch/");
    h.update(property_seed);
    h.update((b as u64).to_le_bytes());
    h.finalize().into()
}
