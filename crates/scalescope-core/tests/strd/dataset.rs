//! Parsing NIST StRD nonlinear regression `.dat` files (starts, certified values, data).

use std::path::PathBuf;

/// One NIST StRD problem.
pub struct Dataset {
    pub name: String,
    pub start1: Vec<f64>,
    pub start2: Vec<f64>,
    pub certified: Vec<f64>,
    pub certified_sd: Vec<f64>,
    pub certified_rss: f64,
    /// Predictor rows (one value, or two for Nelson).
    pub x: Vec<Vec<f64>>,
    pub y: Vec<f64>,
    /// The file's text.
    pub text: String,
}

/// The shared reference-data directory (`../shared/data` beside the workspace).
pub fn data_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    assert!(
        dir.join("nist").is_dir(),
        "reference data missing: expected NIST StRD files in {} (the shared data directory \
         beside the workspace)",
        dir.join("nist").display()
    );
    dir
}

fn floats(line: &str) -> Vec<f64> {
    line.split_whitespace()
        .filter_map(|t| t.parse::<f64>().ok())
        .collect()
}

/// Read `nist/<name>.dat`.
pub fn load(name: &str) -> Dataset {
    let path = data_dir().join("nist").join(format!("{name}.dat"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut d = Dataset {
        name: name.to_string(),
        start1: vec![],
        start2: vec![],
        certified: vec![],
        certified_sd: vec![],
        certified_rss: f64::NAN,
        x: vec![],
        y: vec![],
        text: text.clone(),
    };
    let mut in_data = false;
    for line in text.lines() {
        let t = line.trim_start();
        if in_data {
            let v = floats(line);
            if v.len() >= 2 {
                d.y.push(v[0]);
                d.x.push(v[1..].to_vec());
            }
            continue;
        }
        if t.split_whitespace().take(2).eq(["Data:", "y"]) {
            in_data = true;
            continue;
        }
        if let Some(rest) = t.strip_prefix("Residual Sum of Squares:") {
            d.certified_rss = floats(rest)[0];
            continue;
        }
        // "b1 =   -2000   -1500   -2.5235058043E+03  2.9715175411E+02"
        if t.starts_with('b') {
            if let Some((lhs, rhs)) = t.split_once('=') {
                if lhs.trim()[1..].parse::<usize>().is_ok() {
                    let v = floats(rhs);
                    assert_eq!(v.len(), 4, "{name}: cannot parse parameter line '{line}'");
                    d.start1.push(v[0]);
                    d.start2.push(v[1]);
                    d.certified.push(v[2]);
                    d.certified_sd.push(v[3]);
                }
            }
        }
    }
    assert!(
        !d.y.is_empty() && !d.certified.is_empty() && d.certified_rss.is_finite(),
        "{name}: parse failed"
    );
    d
}

/// All 27 problem names.
pub const ALL: [&str; 27] = [
    "Misra1a", "Chwirut2", "Chwirut1", "Lanczos3", "Gauss1", "Gauss2", "DanWood", "Misra1b",
    "Kirby2", "Hahn1", "Nelson", "MGH17", "Lanczos1", "Lanczos2", "Gauss3", "Misra1c", "Misra1d",
    "Roszman1", "ENSO", "MGH09", "Thurber", "BoxBOD", "Rat42", "MGH10", "Eckerle4", "Rat43",
    "Bennett5",
];

/// Log relative error: digits of agreement with a certified value (capped at 11).
pub fn lre(estimate: f64, certified: f64) -> f64 {
    if !estimate.is_finite() {
        return 0.0;
    }
    let e = ((estimate - certified) / certified).abs();
    if e == 0.0 {
        11.0
    } else {
        (-e.log10()).clamp(0.0, 11.0)
    }
}
