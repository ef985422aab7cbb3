//! A fast hasher for the fold's own maps (ids and texts of one scenario, never hostile input):
//! the multiply-rotate scheme of the Firefox and rustc hashers, word by word.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

#[derive(Default, Clone, Copy)]
pub struct WordHasher(u64);

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("a chunk of 8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u16(&mut self, i: u16) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` with the word hasher.
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<WordHasher>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hash;

    fn hash_of<T: Hash>(value: &T) -> u64 {
        let mut h = WordHasher::default();
        value.hash(&mut h);
        h.finish()
    }

    #[test]
    fn equal_values_hash_alike_and_near_values_apart() {
        assert_eq!(
            hash_of(&"soviet-remove-offensive-weapons"),
            hash_of(&String::from("soviet-remove-offensive-weapons"))
        );
        assert_ne!(hash_of(&"m1"), hash_of(&"m2"));
        assert_ne!(hash_of(&vec![1u32, 2]), hash_of(&vec![2u32, 1]));
    }

    #[test]
    fn a_map_keyed_by_text_finds_what_it_holds() {
        let mut map: FastMap<String, u32> = FastMap::default();
        for i in 0..10_000u32 {
            map.insert(format!("term-{i}"), i);
        }
        assert!((0..10_000u32).all(|i| map[&format!("term-{i}")] == i));
        assert!(!map.contains_key("term-10000"));
    }
}
