//! Fitting a [`Forest`]: gradient boosting of small trees on the logistic loss, with feature
//! values cut into quantile bins (histogram splits). Deterministic for a seed: rows are
//! subsampled by a seeded generator and histograms are summed in row order.

use rayon::prelude::*;

use super::forest::{Forest, Tree, logit_of, sigmoid};

/// Settings of the booster.
#[derive(Debug, Clone)]
pub struct Params {
    /// Number of trees.
    pub rounds: usize,
    /// Depth of each tree (a tree has at most `2^depth` leaves).
    pub depth: usize,
    /// Shrinkage of each tree's values.
    pub learning_rate: f32,
    /// Least summed hessian (weighted) a child may hold.
    pub min_child_weight: f32,
    /// L2 penalty on leaf values.
    pub lambda: f32,
    /// Share of rows each tree sees.
    pub subsample: f32,
    /// Seed of the row sampler.
    pub seed: u64,
    /// Most bins per feature.
    pub bins: usize,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            rounds: 120,
            depth: 4,
            learning_rate: 0.15,
            min_child_weight: 1.0,
            lambda: 1.0,
            subsample: 0.8,
            seed: 1,
            bins: 48,
        }
    }
}

/// Labelled rows: `rows` holds `labels.len()` rows of `n_features` numbers each.
#[derive(Debug, Clone, Copy)]
pub struct Samples<'a> {
    /// The feature rows, one after another.
    pub rows: &'a [f32],
    /// Numbers per row.
    pub n_features: usize,
    /// Whether each row is boilerplate.
    pub labels: &'a [bool],
    /// Weight of each row in the loss.
    pub weights: &'a [f32],
}

/// Fits an ensemble to the samples.
pub fn fit(data: Samples<'_>, params: &Params) -> Forest {
    let n = data.labels.len();
    let nf = data.n_features;
    assert_eq!(data.rows.len(), n * nf, "rows and labels disagree");
    let cuts: Vec<Vec<f32>> =
        (0..nf).into_par_iter().map(|f| quantile_cuts(data.rows, nf, f, params.bins)).collect();
    let binned: Vec<Vec<u8>> = (0..nf)
        .into_par_iter()
        .map(|f| (0..n).map(|r| cuts[f].partition_point(|&c| c < data.rows[r * nf + f]) as u8).collect())
        .collect();

    let total_w: f64 = data.weights.iter().map(|&w| f64::from(w)).sum();
    let pos_w: f64 =
        data.labels.iter().zip(data.weights).filter(|(l, _)| **l).map(|(_, &w)| f64::from(w)).sum();
    let base = logit_of(if total_w > 0.0 { (pos_w / total_w) as f32 } else { 0.5 });
    let mut score = vec![base; n];
    let mut grad = vec![0f32; n];
    let mut hess = vec![0f32; n];
    let mut trees = Vec::with_capacity(params.rounds);
    let mut rng = SplitMix(params.seed);
    for _ in 0..params.rounds {
        for r in 0..n {
            let p = sigmoid(score[r]);
            let w = data.weights[r];
            grad[r] = w * (p - if data.labels[r] { 1.0 } else { 0.0 });
            hess[r] = w * (p * (1.0 - p)).max(1e-6);
        }
        let rows: Vec<u32> = (0..n as u32).filter(|_| rng.unit() < params.subsample).collect();
        let tree = grow(&binned, &cuts, &grad, &hess, rows, params);
        let forest_of_one = Forest::new(0.0, vec![tree]);
        for (r, s) in score.iter_mut().enumerate() {
            *s += forest_of_one.logit(&data.rows[r * nf..(r + 1) * nf]);
        }
        trees.extend(forest_of_one.trees);
    }
    Forest::new(base, trees)
}

/// Up to `bins - 1` cut points at quantiles of feature `f`'s distinct values.
fn quantile_cuts(rows: &[f32], nf: usize, f: usize, bins: usize) -> Vec<f32> {
    let mut values: Vec<f32> = rows.iter().skip(f).step_by(nf).copied().collect();
    values.sort_unstable_by(f32::total_cmp);
    let n = values.len();
    let mut cuts: Vec<f32> = (1..bins).map(|k| values[(k * n / bins).min(n - 1)]).collect();
    cuts.dedup();
    // The largest value cuts nothing off.
    if cuts.last() == values.last() {
        cuts.pop();
    }
    cuts
}

/// One node being grown: its rows and their summed gradient and hessian.
struct Open {
    node: usize,
    rows: Vec<u32>,
    g: f64,
    h: f64,
}

/// The best split of a node.
struct Split {
    gain: f64,
    feature: usize,
    bin: usize,
}

fn grow(
    binned: &[Vec<u8>],
    cuts: &[Vec<f32>],
    grad: &[f32],
    hess: &[f32],
    rows: Vec<u32>,
    p: &Params,
) -> Tree {
    let leaf_value = |g: f64, h: f64| (-g / (h + f64::from(p.lambda)) * f64::from(p.learning_rate)) as f32;
    let (g, h) = sums(&rows, grad, hess);
    let mut tree =
        Tree { feature: vec![None], threshold: vec![0.0], left: vec![0], value: vec![leaf_value(g, h)] };
    let mut level = vec![Open { node: 0, rows, g, h }];
    for _ in 0..p.depth {
        let mut next = Vec::new();
        for open in level {
            let Some(split) = best_split(binned, grad, hess, &open, p) else { continue };
            let col = &binned[split.feature];
            let (left_rows, right_rows): (Vec<u32>, Vec<u32>) =
                open.rows.iter().partition(|&&r| (col[r as usize] as usize) <= split.bin);
            let l = tree.feature.len();
            tree.feature[open.node] = Some(split.feature as u16);
            tree.threshold[open.node] = cuts[split.feature][split.bin];
            tree.left[open.node] = l as u32;
            for child_rows in [left_rows, right_rows] {
                let (g, h) = sums(&child_rows, grad, hess);
                let node = tree.feature.len();
                tree.feature.push(None);
                tree.threshold.push(0.0);
                tree.left.push(0);
                tree.value.push(leaf_value(g, h));
                next.push(Open { node, rows: child_rows, g, h });
            }
        }
        level = next;
    }
    tree
}

fn sums(rows: &[u32], grad: &[f32], hess: &[f32]) -> (f64, f64) {
    rows.iter()
        .fold((0.0, 0.0), |(g, h), &r| (g + f64::from(grad[r as usize]), h + f64::from(hess[r as usize])))
}

fn best_split(binned: &[Vec<u8>], grad: &[f32], hess: &[f32], open: &Open, p: &Params) -> Option<Split> {
    let lambda = f64::from(p.lambda);
    let min_h = f64::from(p.min_child_weight);
    let parent = open.g * open.g / (open.h + lambda);
    let best = binned
        .par_iter()
        .enumerate()
        .map(|(f, col)| {
            let mut hist = [(0f64, 0f64); 256];
            for &r in &open.rows {
                let e = &mut hist[col[r as usize] as usize];
                e.0 += f64::from(grad[r as usize]);
                e.1 += f64::from(hess[r as usize]);
            }
            let (mut gl, mut hl) = (0.0, 0.0);
            let mut best: Option<Split> = None;
            let top = hist.iter().rposition(|e| e.1 > 0.0).unwrap_or(0);
            for (bin, e) in hist.iter().enumerate().take(top) {
                gl += e.0;
                hl += e.1;
                let (gr, hr) = (open.g - gl, open.h - hl);
                if hl < min_h || hr < min_h {
                    continue;
                }
                let gain = gl * gl / (hl + lambda) + gr * gr / (hr + lambda) - parent;
                if best.as_ref().is_none_or(|b| gain > b.gain) {
                    best = Some(Split { gain, feature: f, bin });
                }
            }
            best
        })
        .collect::<Vec<_>>();
    // Ties go to the lower feature index, whatever order the threads finished in.
    best.into_iter()
        .flatten()
        .fold(None, |acc: Option<Split>, s| match acc {
            Some(a) if a.gain >= s.gain => Some(a),
            _ => Some(s),
        })
        .filter(|s| s.gain > 1e-9)
}

/// A small seeded generator (SplitMix64): enough for row sampling, and the same everywhere.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows with two features; the label is whether the first is above 5 (the second is noise).
    fn toy() -> (Vec<f32>, Vec<bool>, Vec<f32>) {
        let mut rng = SplitMix(7);
        let mut rows = Vec::new();
        let mut labels = Vec::new();
        for _ in 0..2000 {
            let a = rng.unit() * 10.0;
            rows.extend([a, rng.unit()]);
            labels.push(a > 5.0);
        }
        let weights = vec![1.0; labels.len()];
        (rows, labels, weights)
    }

    #[test]
    fn boosting_learns_a_threshold_and_credits_its_feature() {
        let (rows, labels, weights) = toy();
        let data = Samples { rows: &rows, n_features: 2, labels: &labels, weights: &weights };
        let forest = fit(data, &Params { rounds: 30, ..Params::default() });
        assert!(sigmoid(forest.logit(&[8.0, 0.5])) > 0.9);
        assert!(sigmoid(forest.logit(&[2.0, 0.5])) < 0.1);
        let mut c = [0.0; 2];
        forest.contributions(&[8.0, 0.5], &mut c);
        assert!(c[0] > 1.0 && c[0] > 10.0 * c[1].abs(), "{c:?}");
    }

    #[test]
    fn fitting_is_deterministic_for_a_seed() {
        let (rows, labels, weights) = toy();
        let data = Samples { rows: &rows, n_features: 2, labels: &labels, weights: &weights };
        let p = Params { rounds: 10, ..Params::default() };
        assert_eq!(fit(data, &p).trees, fit(data, &p).trees);
        let other = fit(data, &Params { seed: 2, ..p });
        assert_ne!(fit(data, &Params { rounds: 10, ..Params::default() }).trees, other.trees);
    }
}
