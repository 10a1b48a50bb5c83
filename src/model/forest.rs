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

    /// The leaf a row falls in.
    fn leaf(&self, row: &[f32]) -> usize {
        let mut i = 0;
        while let Some(f) = self.feature[i] {
            i = self.left[i] as usize + usize::from(row[f as usize] > self.threshold[i]);
        }
        i
    }
}

/// A node of the flattened ensemble used for scoring: one array for every tree, so that a walk
/// reads one small struct per level.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// Feature index, or `LEAF`.
    feature: u16,
    /// Absolute index of the left child.
    left: u32,
    /// Threshold, or the value of a leaf.
    threshold: f32,
}

const LEAF: u16 = u16::MAX;

/// A boosted tree ensemble.
#[derive(Debug, Clone)]
pub struct Forest {
    /// Log-odds before any tree.
    pub base: f32,
    /// The trees, as written in the model file.
    pub trees: Vec<Tree>,
    nodes: Vec<Node>,
    roots: Vec<u32>,
}

impl Forest {
    /// An ensemble from validated trees.
    pub fn new(base: f32, trees: Vec<Tree>) -> Forest {
        let mut nodes = Vec::new();
        let mut roots = Vec::with_capacity(trees.len());
        for t in &trees {
            let off = nodes.len() as u32;
            roots.push(off);
            for i in 0..t.feature.len() {
                nodes.push(match t.feature[i] {
                    Some(f) => Node { feature: f, left: off + t.left[i], threshold: t.threshold[i] },
                    None => Node { feature: LEAF, left: 0, threshold: t.value[i] },
                });
            }
        }
        Forest { base, trees, nodes, roots }
    }

    /// The score of a row, in log-odds.
    pub fn logit(&self, row: &[f32]) -> f32 {
        let mut sum = self.base;
        for &root in &self.roots {
            let mut n = self.nodes[root as usize];
            while n.feature != LEAF {
                let right = row[n.feature as usize] > n.threshold;
                n = self.nodes[(n.left + u32::from(right)) as usize];
            }
            sum += n.threshold;
        }
        sum
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
    fn bad_trees_are_refused() {
        let mut t = stump(0, 1.0, 0.0, 1.0);
        assert!(t.validate(1).is_ok());
        assert!(t.validate(0).unwrap_err().contains("feature 0"));
        t.left[0] = 2;
        assert!(t.validate(1).unwrap_err().contains("out of order"));
    }
}
