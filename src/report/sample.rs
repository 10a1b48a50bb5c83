//! Reproducible sampling in bounded memory: keep the `k` items whose seeded hash of their key is
//! smallest (bottom-k). The sample depends only on the keys and the seed, not on input order or
//! thread count.

use std::collections::BinaryHeap;

/// The `k` items with the smallest hashes seen so far.
#[derive(Debug)]
pub struct BottomK<T> {
    k: usize,
    seed: u64,
    heap: BinaryHeap<(u64, usize, Wrapper<T>)>,
}

#[derive(Debug)]
struct Wrapper<T>(T);

impl<T> PartialEq for Wrapper<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl<T> Eq for Wrapper<T> {}
impl<T> PartialOrd for Wrapper<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Wrapper<T> {
    fn cmp(&self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

impl<T> BottomK<T> {
    /// An empty sample of at most `k` items.
    pub fn new(k: usize, seed: u64) -> BottomK<T> {
        BottomK { k, seed, heap: BinaryHeap::new() }
    }

    /// Whether an item with this key would enter the sample now (so callers can skip building it).
    pub fn wants(&self, key: &str) -> bool {
        self.k > 0
            && (self.heap.len() < self.k || self.heap.peek().is_some_and(|top| hash(key, self.seed) < top.0))
    }

    /// Offers an item; `order` is its position in the input, for sorting the result.
    pub fn offer(&mut self, key: &str, order: usize, item: T) {
        if !self.wants(key) {
            return;
        }
        self.heap.push((hash(key, self.seed), order, Wrapper(item)));
        if self.heap.len() > self.k {
            self.heap.pop();
        }
    }

    /// The sampled items in input order.
    pub fn into_sorted(self) -> Vec<T> {
        let mut items: Vec<(usize, T)> = self.heap.into_iter().map(|(_, o, w)| (o, w.0)).collect();
        items.sort_by_key(|(o, _)| *o);
        items.into_iter().map(|(_, t)| t).collect()
    }
}

/// FNV-1a over the key, then a splitmix64 finaliser with the seed: stable across platforms and
/// releases (unlike std's hasher).
fn hash(key: &str, seed: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut z = h ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_is_the_same_whatever_the_order() {
        let keys: Vec<String> = (0..100).map(|i| format!("doc-{i}")).collect();
        let mut a = BottomK::new(5, 7);
        let mut b = BottomK::new(5, 7);
        for (i, k) in keys.iter().enumerate() {
            a.offer(k, i, k.clone());
        }
        for (i, k) in keys.iter().enumerate().rev() {
            b.offer(k, i, k.clone());
        }
        let (a, b) = (a.into_sorted(), b.into_sorted());
        assert_eq!(a.len(), 5);
        assert_eq!(a, b);
        let mut c = BottomK::new(5, 8);
        for (i, k) in keys.iter().enumerate() {
            c.offer(k, i, k.clone());
        }
        assert_ne!(a, c.into_sorted(), "another seed gives another sample");
    }
}
