//! The `--json` output: the shape promised in issue 4, built explicitly from the report
//! (no `Serialize` on core types). Non-finite numbers (e.g. a standard error that cannot
//! be estimated) are written as `null`.

use serde_json::{json, Map, Value};

use scalescope_core::chinchilla::Allocation;

use crate::commands::fit::{Answer, GroupFit, Report};

/// The whole report as pretty-printed JSON with a final newline.
pub fn render(report: &Report) -> String {
    let skipped: Vec<Value> = report
        .skipped
        .iter()
        .map(|(s, header)| {
            json!({
                "line": s.line,
                "column": header,
                "text": s.text,
                "message": s.to_string(),
            })
        })
        .collect();
    let value = json!({
        "fits": report.fits.iter().map(fit).collect::<Vec<_>>(),
        "skipped": skipped,
        "warnings": report.warnings,
    });
    // Serialising a `Value` cannot fail.
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    out
}

fn fit(g: &GroupFit) -> Value {
    let f = &g.fit;
    let names = f.form.param_names();
    let by_name = |values: &[Value]| -> Map<String, Value> {
        names
            .iter()
            .zip(values)
            .map(|(n, v)| (n.to_string(), v.clone()))
            .collect()
    };
    let params: Vec<Value> = f.params.iter().map(|&v| num(v)).collect();
    let stderr: Vec<Value> = f.stderr.iter().map(|&v| num(v)).collect();
    let ci95: Vec<Value> = f
        .ci95
        .iter()
        .map(|&(lo, hi)| json!([num(lo), num(hi)]))
        .collect();
    let m = &f.metrics;
    let mut out = json!({
        "group": g.group,
        "form": f.form.name(),
        "objective": f.objective.to_string(),
        "n": m.n,
        "params": by_name(&params),
        "stderr": by_name(&stderr),
        "ci95": by_name(&ci95),
        "metrics": {
            "objective": num(m.objective),
            "r2": num(m.r2),
            "r2_space": m.r2_space.to_string(),
            "r2_raw": num(m.r2_raw),
            "rmse": num(m.rmse),
            "ser": num(m.ser),
            "sse": num(m.sse),
            "dof": m.dof,
            "aic": num(m.aic),
            "bic": num(m.bic),
        },
        "converged": f.converged(),
        "termination": f.termination.to_string(),
        "warnings": f.warnings,
    });
    if let Some(required) = &g.required {
        out["required"] = match required {
            Ok(a) => answer(a),
            Err(e) => json!({ "error": e.to_string() }),
        };
    }
    if let Some(optimal) = &g.optimal {
        out["optimal"] = match optimal {
            Ok(a) => allocation(a),
            Err(e) => json!({ "error": e.to_string() }),
        };
    }
    out
}

fn answer(a: &Answer) -> Value {
    let mut out = match (&a.x, &a.allocation) {
        (Some(r), _) => json!({ "x": num(r.x), "x_ci95": [num(r.ci95.0), num(r.ci95.1)] }),
        (None, Some(alloc)) => allocation(alloc),
        (None, None) => json!({}),
    };
    out["target_loss"] = num(a.target_loss);
    if let Some(ppl) = a.target_ppl {
        out["target_ppl"] = num(ppl);
    }
    out
}

fn allocation(a: &Allocation) -> Value {
    json!({
        "compute": num(a.compute),
        "N": num(a.n),
        "D": num(a.d),
        "loss": num(a.loss),
        "tokens_per_param": num(a.tokens_per_param),
    })
}

/// A number, or `null` when it is not finite.
fn num(v: f64) -> Value {
    if v.is_finite() {
        json!(v)
    } else {
        Value::Null
    }
}
