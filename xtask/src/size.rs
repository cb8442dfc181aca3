//! The size budget: gzip -9 of the page's .wasm and .js.

use flate2::{write::GzEncoder, Compression};
use std::fmt;
use std::io::Write;
use std::path::Path;

/// The budget for .wasm + .js together, gzip -9, in bytes (issue 11: readable over small),
/// enforced by `cargo xtask test` and printed every run.
pub const BUDGET: u64 = 400 * 1024;

/// Raw and gzip sizes of the built assets.
pub struct Sizes {
    wasm: (u64, u64),
    js: (u64, u64),
}

fn gzip9(bytes: &[u8]) -> Result<u64, String> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::new(9));
    enc.write_all(bytes).map_err(|e| e.to_string())?;
    let out = enc.finish().map_err(|e| e.to_string())?;
    Ok(out.len() as u64)
}

/// Measures the .wasm and .js files in `dist`.
pub fn measure(dist: &Path) -> Result<Sizes, String> {
    let mut wasm = (0, 0);
    let mut js = (0, 0);
    let entries =
        std::fs::read_dir(dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    for entry in entries.flatten() {
        let p = entry.path();
        let slot = match p.extension().and_then(|e| e.to_str()) {
            Some("wasm") => &mut wasm,
            Some("js") => &mut js,
            _ => continue,
        };
        let bytes = std::fs::read(&p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
        slot.0 += bytes.len() as u64;
        slot.1 += gzip9(&bytes)?;
    }
    if wasm.0 == 0 || js.0 == 0 {
        return Err(format!("{} has no .wasm or no .js", dist.display()));
    }
    Ok(Sizes { wasm, js })
}

impl Sizes {
    /// Fails when .wasm + .js gzip exceed [`BUDGET`].
    pub fn check_budget(&self) -> Result<(), String> {
        let total = self.wasm.1 + self.js.1;
        if total > BUDGET {
            return Err(format!(
                "size budget exceeded: {total} B gzip > {BUDGET} B ({:.1} KB over)",
                (total - BUDGET) as f64 / 1024.0
            ));
        }
        Ok(())
    }
}

impl fmt::Display for Sizes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kb = |b: u64| b as f64 / 1024.0;
        writeln!(
            f,
            "  size (gzip -9): .wasm {:.1} KB ({:.1} KB raw), .js {:.1} KB ({:.1} KB raw)",
            kb(self.wasm.1),
            kb(self.wasm.0),
            kb(self.js.1),
            kb(self.js.0)
        )?;
        let total = self.wasm.1 + self.js.1;
        let (margin, side) = if total <= BUDGET {
            (BUDGET - total, "to spare")
        } else {
            (total - BUDGET, "OVER")
        };
        write!(
            f,
            "  size: {:.1} KB gzip; budget {:.0} KB, {:.1} KB {side}",
            kb(total),
            kb(BUDGET),
            kb(margin)
        )
    }
}
