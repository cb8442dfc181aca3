//! Epoch AI's reconstruction of the Chinchilla data (`../shared/data/chinchilla_epoch.csv`,
//! 245 rows of N, D, tokens-per-parameter and loss) as Epoch fitted it: the 5 highest
//! losses dropped (loss < the 5th-largest), 240 points of N, D and loss. Shared by the tests
//! and the benches (`#[path]` modules), so every one reads the same points.

use scalescope_core::Points;
use std::path::PathBuf;

/// The 240 points.
pub fn epoch_points() -> Points {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/chinchilla_epoch.csv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "reference data missing: cannot read {} ({e}); the shared data directory must sit \
             beside the workspace",
            path.display()
        )
    });
    let rows: Vec<[f64; 4]> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Vec<f64> = l
                .split(',')
                .map(|t| t.trim().parse().expect("a number in the reference data"))
                .collect();
            [v[0], v[1], v[2], v[3]]
        })
        .collect();
    assert_eq!(rows.len(), 245);
    let mut losses: Vec<f64> = rows.iter().map(|r| r[3]).collect();
    losses.sort_by(|a, b| b.total_cmp(a));
    let cut = losses[4];
    let kept: Vec<&[f64; 4]> = rows.iter().filter(|r| r[3] < cut).collect();
    assert_eq!(kept.len(), 240);
    Points::with_d(
        kept.iter().map(|r| r[0]).collect(),
        kept.iter().map(|r| r[1]).collect(),
        kept.iter().map(|r| r[3]).collect(),
    )
}
