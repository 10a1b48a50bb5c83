//! A gradient-boosted ensemble of small regression trees over feature rows: the score of a row
//! is the sum of one leaf value per tree plus a base, read as log-odds of boilerplate.

/// One tree, as arrays indexed by node (node 0 is the root). An internal node sends a row
/// left when `row[feature] <= threshold`, to `left`, and right otherwise, to `left + 1`.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    /// Feature index of each node; `None` for leaves.
    pub feature: Vec<Option<u16>>,
    /// Split threshold of each internal node (unused for leaves).
    pub threshold: Vec<f32>,
    /// Left child of each internal node (the right child follows it).
    pub left: Vec<u32>,
    /// Each node's value in log-odds: a leaf's is what it adds to the score; an internal
    /// node's is what the tree would add had it stopped there (used to explain a score).
    pub value: Vec<f32>,
}

impl Tree {
    /// Checks the arrays agree and every child index points forward inside the tree.
    pub fn validate(&self, n_features: usize) -> Result<(), String> {
        let n = self.feature.len();
        if n == 0 {
            return Err("a tree has no nodes".into());
        }
        if self.threshold.len() != n || self.left.len() != n || self.value.len() != n {
            return Err(format!("a tree's arrays differ in length (feature has {n})"));
        }
        for (i, f) in self.feature.iter().enumerate() {
            if let Some(f) = f {
                if *f as usize >= n_features {
                    return Err(format!("node {i} splits on feature {f}, but there are {n_features}"));
                }
                let l = self.left[i] as usize;
                if l <= i || l + 1 >= n {
                    return Err(format!("node {i} has children {l} and {} out of order or range", l + 1));
                }
            }
            if !self.value[i].is_finite() || !self.threshold[i].is_finite() {
                return Err(format!("node {i} has a value or threshold that is not a finite number"));
            }
        }
        Ok(())
    }

    /// The number of splits on the longest path from the root to a leaf.
    fn depth(&self) -> u32 {
        let mut depth = vec![0u32; self.feature.len()];
        let mut deepest = 0;
        // Children come after their parent, so one forward pass sees every parent first.
        for i in 0..self.feature.len() {
            if self.feature[i].is_some() {
                let l = self.left[i] as usize;
                depth[l] = depth[i] + 1;
                depth[l + 1] = depth[i] + 1;
                deepest = deepest.max(depth[i] + 1);
            }
        }
        deepest
    }

    /// The leaf a row falls in.
    fn leaf(&self, row: &[f32]) -> usize {
        let mut i = 0;
        while let Some(f) = self.feature[i] {
            i = self.left[i] as usize + usize::from(row[f as usize] > self.threshold[i]);
        }
        i
    }
}

/// The ensemble laid out for scoring: every tree padded to a complete tree of the same depth,
/// so that a walk is a fixed number of steps with no branch on the path (a leaf above the
/// full depth becomes splits that always go left, down to its value). Each tree is a block of
/// fixed-size arrays, indexed through a mask, so a step has no bounds check.
#[derive(Debug, Clone)]
enum Complete {
    /// Trees of depth at most 4 (the usual case), in blocks of 16.
    Small(Blocks<16>),
    /// Trees of depth 5 to [`MAX_COMPLETE_DEPTH`], in blocks of 256.
    Large(Blocks<256>),
}

/// Trees of depth at most log2(`L`), each a block: splits `0..L-1` in heap order (children
/// of `i` at `2i+1`, `2i+2`) and `L` leaf slots, of which the first `2^depth` are used.
#[derive(Debug, Clone)]
struct Blocks<const L: usize> {
    depth: u32,
    feature: Vec<[u8; L]>,
    threshold: Vec<[f32; L]>,
    leaf: Vec<[f32; L]>,
}

/// Trees walked together by [`Blocks::logit`].
const TOGETHER: usize = 4;

/// Trees deeper than this are scored by walking them node by node.
const MAX_COMPLETE_DEPTH: u32 = 8;

/// A row padded to this many features, so a feature index masked to it needs no bounds check.
const ROW_SLOTS: usize = 64;

impl Complete {
    fn new(trees: &[Tree]) -> Option<Complete> {
        let depth = trees.iter().map(|t| t.depth()).max()?;
        let features_fit = trees.iter().flat_map(|t| &t.feature).flatten().all(|&f| (f as usize) < ROW_SLOTS);
        match depth {
            _ if !features_fit => None,
            0..=4 => Some(Complete::Small(Blocks::new(trees, depth))),
            5..=MAX_COMPLETE_DEPTH => Some(Complete::Large(Blocks::new(trees, depth))),
            _ => None,
        }
    }

    fn logit(&self, base: f32, row: &[f32]) -> f32 {
        let mut padded = [0f32; ROW_SLOTS];
        padded[..row.len()].copy_from_slice(row);
        match self {
            Complete::Small(b) => b.logit(base, &padded),
            Complete::Large(b) => b.logit(base, &padded),
        }
    }
}

impl<const L: usize> Blocks<L> {
    /// Lays out trees no deeper than `depth` (at most log2(`L`)).
    fn new(trees: &[Tree], depth: u32) -> Blocks<L> {
        let inner = (1usize << depth) - 1;
        debug_assert!(inner < L);
        let n = trees.len();
        let mut b = Blocks {
            depth,
            feature: vec![[0; L]; n],
            threshold: vec![[f32::INFINITY; L]; n],
            leaf: vec![[0.0; L]; n],
        };
        for (k, t) in trees.iter().enumerate() {
            // (node in the tree, slot in the heap) pairs still to place.
            let mut stack = vec![(0usize, 0usize)];
            while let Some((node, slot)) = stack.pop() {
                match t.feature[node] {
                    Some(f) if slot < inner => {
                        b.feature[k][slot] = f as u8;
                        b.threshold[k][slot] = t.threshold[node];
                        let l = t.left[node] as usize;
                        stack.push((l, 2 * slot + 1));
                        stack.push((l + 1, 2 * slot + 2));
                    }
                    Some(_) => unreachable!("trees are no deeper than the layout"),
                    None => {
                        // Always left (threshold +inf) down to the leftmost leaf below.
                        let mut s = slot;
                        while s < inner {
                            s = 2 * s + 1;
                        }
                        b.leaf[k][s - inner] = t.value[node];
                    }
                }
            }
        }
        b
    }

    fn logit(&self, base: f32, row: &[f32; ROW_SLOTS]) -> f32 {
        let inner = (1usize << self.depth) - 1;
        let step = |k: usize, i: usize| {
            let (f, t) = (self.feature[k][i & (L - 1)] as usize, self.threshold[k][i & (L - 1)]);
            2 * i + 1 + usize::from(row[f & (ROW_SLOTS - 1)] > t)
        };
        let leaf = |k: usize, i: usize| self.leaf[k][(i - inner) & (L - 1)];
        // Trees walk together: their walks are independent chains of loads, which the
        // processor overlaps. Their leaves are added in tree order, as one at a time would.
        let n = self.feature.len();
        let mut sum = base;
        let mut k = 0;
        while k + TOGETHER <= n {
            let mut i = [0usize; TOGETHER];
            for _ in 0..self.depth {
                for (t, i) in i.iter_mut().enumerate() {
                    *i = step(k + t, *i);
                }
            }
            for (t, &i) in i.iter().enumerate() {
                sum += leaf(k + t, i);
            }
            k += TOGETHER;
        }
        for k in k..n {
            let mut i = 0;
            for _ in 0..self.depth {
                i = step(k, i);
            }
            sum += leaf(k, i);
        }
        sum
    }
}

/// A boosted tree ensemble.
#[derive(Debug, Clone)]
pub struct Forest {
    /// Log-odds before any tree.
    pub base: f32,
    /// The trees, as written in the model file.
    pub trees: Vec<Tree>,
    /// The same trees laid out for scoring, when none is deeper than [`MAX_COMPLETE_DEPTH`].
    complete: Option<Complete>,
}

impl Forest {
    /// An ensemble from validated trees.
    pub fn new(base: f32, trees: Vec<Tree>) -> Forest {
        let complete = Complete::new(&trees);
        Forest { base, trees, complete }
    }

    /// The score of a row, in log-odds.
    pub fn logit(&self, row: &[f32]) -> f32 {
        match &self.complete {
            Some(c) => c.logit(self.base, row),
            None => self.base + self.trees.iter().map(|t| t.value[t.leaf(row)]).sum::<f32>(),
        }
    }

    /// How much each feature moved the row's score from the base (log-odds), following each
    /// tree's path: a split credits its feature with the change of node value it causes. The
    /// contributions and the root values add up to the score.
    pub fn contributions(&self, row: &[f32], out: &mut [f32]) -> f32 {
        out.fill(0.0);
        let mut bias = self.base;
        for t in &self.trees {
            bias += t.value[0];
            let mut i = 0;
            while let Some(f) = t.feature[i] {
                let next = t.left[i] as usize + usize::from(row[f as usize] > t.threshold[i]);
                out[f as usize] += t.value[next] - t.value[i];
                i = next;
            }
            debug_assert_eq!(i, t.leaf(row));
        }
        bias
    }
}

/// The logistic function: log-odds to probability.
pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// Probability to log-odds.
pub fn logit_of(p: f32) -> f32 {
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    (p / (1.0 - p)).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stump(feature: u16, threshold: f32, lo: f32, hi: f32) -> Tree {
        Tree {
            feature: vec![Some(feature), None, None],
            threshold: vec![threshold, 0.0, 0.0],
            left: vec![1, 0, 0],
            value: vec![(lo + hi) / 2.0, lo, hi],
        }
    }

    #[test]
    fn scores_add_leaves_and_contributions_add_up() {
        let f = Forest::new(-1.0, vec![stump(0, 5.0, -2.0, 2.0), stump(1, 0.5, 0.5, -0.5)]);
        let row = [7.0, 0.0];
        assert_eq!(f.logit(&row), -1.0 + 2.0 + 0.5);
        let mut c = [0.0; 2];
        let bias = f.contributions(&row, &mut c);
        assert_eq!(c, [2.0, 0.5]);
        assert!((bias + c.iter().sum::<f32>() - f.logit(&row)).abs() < 1e-6);
    }

    #[test]
    fn uneven_trees_score_the_same_padded_as_walked() {
        // Depth 2 on the right, a leaf at depth 1 on the left.
        let t = Tree {
            feature: vec![Some(0), None, Some(1), None, None],
            threshold: vec![5.0, 0.0, 0.5, 0.0, 0.0],
            left: vec![1, 0, 3, 0, 0],
            value: vec![0.0, -1.0, 0.5, 2.0, 3.0],
        };
        let f = Forest::new(0.25, vec![t.clone(), stump(1, 0.5, 0.1, -0.1)]);
        assert!(f.complete.is_some());
        for row in [[1.0, 0.0], [1.0, 1.0], [7.0, 0.0], [7.0, 1.0], [5.0, 0.5], [f32::NAN, f32::NAN]] {
            let walked = 0.25 + t.value[t.leaf(&row)] + if row[1] > 0.5 { -0.1 } else { 0.1 };
            assert_eq!(f.logit(&row), walked, "{row:?}");
        }
    }

    #[test]
    fn deep_trees_score_the_same_in_large_blocks() {
        // A chain of six splits down the right side: depth 6, laid out in blocks of 256.
        let mut t = Tree { feature: vec![], threshold: vec![], left: vec![], value: vec![] };
        for d in 0..6u16 {
            let node = t.feature.len() as u32;
            t.feature.extend([Some(d % 2), None]);
            t.threshold.extend([d as f32, 0.0]);
            t.left.extend([node + 1, 0]);
            t.value.extend([0.0, -(d as f32)]);
        }
        // The last split's right child.
        t.feature.push(None);
        t.threshold.push(0.0);
        t.left.push(0);
        t.value.push(9.0);
        // Each split's children are (leaf, next split): left = leaf, right = the next node pair.
        for i in 0..6 {
            t.left[2 * i] = 2 * i as u32 + 1;
        }
        assert!(t.validate(2).is_ok());
        let f = Forest::new(0.0, vec![t.clone()]);
        assert!(matches!(f.complete, Some(Complete::Large(_))));
        for row in [[0.0, 0.0], [9.0, 9.0], [3.0, 1.5], [2.5, 4.5], [f32::NAN, 1.0]] {
            assert_eq!(f.logit(&row), t.value[t.leaf(&row)], "{row:?}");
        }
    }

    #[test]
    fn bad_trees_are_refused() {
        let mut t = stump(0, 1.0, 0.0, 1.0);
        assert!(t.validate(1).is_ok());
        assert!(t.validate(0).unwrap_err().contains("feature 0"));
        t.left[0] = 2;
        assert!(t.validate(1).unwrap_err().contains("out of order"));
    }
}
