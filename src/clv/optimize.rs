//! A deterministic Nelder–Mead minimiser with restarts (no randomness, no threads), so the same
//! data gives the same fitted bits everywhere.
//!
//! The models are fitted in log-parameter space, where every point is valid; an objective returns
//! `f64::INFINITY` where it cannot be evaluated and the simplex moves away from it.

/// Where a minimisation ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Minimum {
    /// The best point found.
    pub point: Vec<f64>,
    /// The objective there.
    pub value: f64,
    /// Two restarts in a row agreed on the value (to `VALUE_TOL`) and each ended with a small simplex.
    pub converged: bool,
    /// Objective evaluations used.
    pub evaluations: usize,
}

/// Iterations per run before it stops unconverged.
const MAX_ITER: usize = 20_000;
/// Restarts from the best point after the first run.
const MAX_RESTARTS: usize = 8;
/// A run has converged when the simplex's values and its extent are this small.
const VALUE_TOL: f64 = 1e-10;
const SIZE_TOL: f64 = 1e-9;

/// Minimises `f` from `start` (a fresh simplex with edge `step` around it, restarted from the
/// best point until two runs agree).
pub fn minimize(f: &dyn Fn(&[f64]) -> f64, start: &[f64], step: f64) -> Minimum {
    let mut best = start.to_vec();
    let mut best_value = f(&best);
    let mut evaluations = 1;
    let mut agreed = false;
    for run in 0..=MAX_RESTARTS {
        let (point, value, small, used) = run_once(f, &best, step);
        evaluations += used;
        let improvement = best_value - value;
        if value <= best_value {
            best = point;
            best_value = value;
        }
        // The first run always counts as a change; later ones settle the answer when they end
        // in a small simplex without improving on the best value.
        if run > 0 && small && improvement.abs() <= VALUE_TOL * (1.0 + best_value.abs()) {
            agreed = true;
            break;
        }
    }
    Minimum {
        point: best,
        value: best_value,
        converged: agreed && best_value.is_finite(),
        evaluations,
    }
}

/// One Nelder–Mead run with the standard coefficients: (best point, value, ended small, evaluations).
fn run_once(f: &dyn Fn(&[f64]) -> f64, start: &[f64], step: f64) -> (Vec<f64>, f64, bool, usize) {
    let n = start.len();
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(n + 1);
    simplex.push((start.to_vec(), f(start)));
    for i in 0..n {
        let mut p = start.to_vec();
        if let Some(v) = p.get_mut(i) {
            *v += step;
        }
        let value = f(&p);
        simplex.push((p, value));
    }
    let mut evaluations = n + 1;
    let mut small = false;
    for _ in 0..MAX_ITER {
        // Ties keep their order (a stable sort), so the run is reproducible.
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (Some(first), Some(last)) = (simplex.first(), simplex.last()) else {
            break;
        };
        let spread = (last.1 - first.1).abs();
        let extent = simplex
            .iter()
            .flat_map(|(p, _)| p.iter().zip(&first.0).map(|(a, b)| (a - b).abs()))
            .fold(0.0_f64, f64::max);
        if spread <= VALUE_TOL * (1.0 + first.1.abs()) && extent <= SIZE_TOL {
            small = true;
            break;
        }
        let worst = last.clone();
        let centroid: Vec<f64> = (0..n)
            .map(|j| {
                simplex
                    .iter()
                    .take(n)
                    .map(|(p, _)| p.get(j).copied().unwrap_or(0.0))
                    .sum::<f64>()
                    / n as f64
            })
            .collect();
        let towards = |t: f64| -> Vec<f64> {
            centroid
                .iter()
                .zip(&worst.0)
                .map(|(c, w)| c + t * (w - c))
                .collect()
        };
        let second_worst = simplex
            .get(n.saturating_sub(1))
            .map_or(f64::INFINITY, |s| s.1);
        let best_value = first.1;
        let reflected = towards(-1.0);
        let fr = f(&reflected);
        evaluations += 1;
        let replacement = if fr < best_value {
            let expanded = towards(-2.0);
            let fe = f(&expanded);
            evaluations += 1;
            if fe < fr {
                Some((expanded, fe))
            } else {
                Some((reflected, fr))
            }
        } else if fr < second_worst {
            Some((reflected, fr))
        } else {
            let contracted = if fr < worst.1 {
                towards(-0.5)
            } else {
                towards(0.5)
            };
            let fc = f(&contracted);
            evaluations += 1;
            if fc < worst.1.min(fr) {
                Some((contracted, fc))
            } else {
                None
            }
        };
        match replacement {
            Some(point) => {
                if let Some(slot) = simplex.last_mut() {
                    *slot = point;
                }
            }
            None => {
                // Shrink every vertex towards the best one.
                let best = first.0.clone();
                for vertex in simplex.iter_mut().skip(1) {
                    let p: Vec<f64> = vertex
                        .0
                        .iter()
                        .zip(&best)
                        .map(|(v, b)| b + 0.5 * (v - b))
                        .collect();
                    let value = f(&p);
                    *vertex = (p, value);
                }
                evaluations += n;
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    match simplex.into_iter().next() {
        Some((p, v)) => (p, v, small, evaluations),
        None => (start.to_vec(), f64::INFINITY, false, evaluations),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_rosenbrock_minimum() {
        let rosen = |p: &[f64]| {
            let (x, y) = (p[0], p[1]);
            (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2)
        };
        let m = minimize(&rosen, &[-1.2, 1.0], 0.5);
        assert!(m.converged);
        assert!(
            (m.point[0] - 1.0).abs() < 1e-6 && (m.point[1] - 1.0).abs() < 1e-6,
            "{m:?}"
        );
    }

    #[test]
    fn steps_away_from_infinite_regions() {
        let f = |p: &[f64]| {
            if p[0] < 0.0 {
                f64::INFINITY
            } else {
                (p[0] - 2.0).powi(2)
            }
        };
        let m = minimize(&f, &[0.5], 1.0);
        assert!((m.point[0] - 2.0).abs() < 1e-6);
    }
}
