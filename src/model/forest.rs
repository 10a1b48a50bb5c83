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
/// full depth becomes splits that always go left, down to its value).
#[derive(Debug, Clone, Default)]
struct Complete {
    depth: u32,
    /// Per tree, `2^depth - 1` splits in heap order (children of `i` at `2i+1`, `2i+2`).
    feature: Vec<u16>,
    threshold: Vec<f32>,
    /// Per tree, `2^depth` leaf values.
    leaf: Vec<f32>,
}

/// Trees deeper than this are scored by walking them node by node.
const MAX_COMPLETE_DEPTH: u32 = 8;

impl Complete {
    fn new(trees: &[Tree]) -> Option<Complete> {
        let depth = trees.iter().map(|t| t.depth()).max()?;
        if depth > MAX_COMPLETE_DEPTH {
            return None;
        }
        let (inner, leaves) = ((1usize << depth) - 1, 1usize << depth);
        let mut c = Complete {
            depth,
            feature: vec![0; trees.len() * inner],
            threshold: vec![f32::INFINITY; trees.len() * inner],
            leaf: vec![0.0; trees.len() * leaves],
        };
        for (k, t) in trees.iter().enumerate() {
            // (node in the tree, slot in the heap) pairs still to place.
            let mut stack = vec![(0usize, 0usize)];
            while let Some((node, slot)) = stack.pop() {
                match t.feature[node] {
                    Some(f) if slot < inner => {
                        c.feature[k * inner + slot] = f;
                        c.threshold[k * inner + slot] = t.threshold[node];
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
                        c.leaf[k * leaves + s - inner] = t.value[node];
                    }
                }
            }
        }
        Some(c)
    }

    fn logit(&self, base: f32, row: &[f32]) -> f32 {
        let inner = (1usize << self.depth) - 1;
        let leaves = inner + 1;
        let mut sum = base;
        for (k, leaf) in self.leaf.chunks_exact(leaves).enumerate() {
            let (feature, threshold) = (&self.feature[k * inner..], &self.threshold[k * inner..]);
            let mut i = 0;
            for _ in 0..self.depth {
                i = 2 * i + 1 + usize::from(row[feature[i] as usize] > threshold[i]);
            }
            sum += leaf[i - inner];
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
    fn bad_trees_are_refused() {
        let mut t = stump(0, 1.0, 0.0, 1.0);
        assert!(t.validate(1).is_ok());
        assert!(t.validate(0).unwrap_err().contains("feature 0"));
        t.left[0] = 2;
        assert!(t.validate(1).unwrap_err().contains("out of order"));
    }
}
