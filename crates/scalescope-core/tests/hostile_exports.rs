//! Exports of tables with hostile group names (issue 15): a name is data in every export,
//! never code. The Python snippet parses to imports and functions only (checked with
//! `python3` when it is installed), the CSV neutralises spreadsheet formulas, and LaTeX
//! escapes its specials and keeps each name on its comment line.

use std::process::Command;

use scalescope_core::analysis::{analyze, Analysis, AnalysisOptions};
use scalescope_core::export::{curves_csv, latex_all, python};
use scalescope_core::table::{read_table, ReadOptions};

/// Group names an attacker would choose, each with three power-law rows.
const NAMES: [&str; 9] = [
    "x\rimport os; os.system('echo pwned')",
    "y\nprint(1)",
    "a-b",
    "a b",
    "a_b",
    "=HYPERLINK(\"http://evil\",\"click\")",
    "\u{1b}[31mred",
    "z\u{2028}''' \\",
    "50%_{a}$^~#&",
];

fn hostile() -> Analysis {
    let mut text = String::from("model,params,loss\n");
    for n in [1e6, 1e7, 1e8] {
        for (k, name) in NAMES.iter().enumerate() {
            let loss = (10.0 + k as f64) * f64::powf(n, -0.07);
            text += &format!("\"{}\",{n},{loss}\n", name.replace('"', "\"\""));
        }
    }
    let table = read_table(&text, &ReadOptions::new()).unwrap_or_else(|e| panic!("{e}"));
    let analysis = analyze(&table, &AnalysisOptions::default());
    let names: Vec<Option<&str>> = analysis.groups.iter().map(|g| g.name.as_deref()).collect();
    assert_eq!(names, NAMES.map(Some));
    assert!(analysis.groups.iter().all(|g| g.fit.is_ok()));
    analysis
}

#[test]
fn python_names_are_unique_identifiers_and_names_stay_in_comments() {
    let py = python(&hostile());
    let defs: Vec<&str> = py
        .lines()
        .filter_map(|l| l.strip_prefix("def "))
        .filter_map(|l| l.split_once('(').map(|(name, _)| name))
        .collect();
    assert_eq!(
        defs,
        [
            "loss_x_import_os__os_system__echo_pwned",
            "loss_y_print_1",
            "loss_a_b",
            "loss_a_b_2",
            "loss_a_b_3",
            "loss_hyperlink__http___evil___click",
            "loss_31mred",
            "loss_z",
            "loss_50___a",
        ]
    );
    assert!(!py.contains('\r') && !py.contains('\u{1b}') && !py.contains('\u{2028}'));
    assert!(
        py.contains(", group 'x\\rimport os; os.system(\\'echo pwned\\')'\n"),
        "{py}"
    );
    assert!(py.contains(", group 'z\\u2028\\'\\'\\' \\\\'\n"), "{py}");
    // Two comment lines before each function: no name made a line of its own.
    assert_eq!(
        py.lines().filter(|l| l.starts_with('#')).count(),
        NAMES.len()
    );
}

/// Parses the snippet with Python and checks that its top level is the numpy import and
/// one function per group, and that every comment is one of ours.
const CHECK: &str = r##"
import ast, io, sys, tokenize
src = open(sys.argv[1]).read()
tree = ast.parse(src)
kinds = [type(n).__name__ for n in tree.body]
assert kinds == ["Import"] + ["FunctionDef"] * int(sys.argv[2]), kinds
for f in tree.body[1:]:
    body = [type(n).__name__ for n in f.body]
    assert body[0] == "Assign" and body[-1] == "Return", body
    consts = f.body[0].value
    for v in consts.elts:
        assert isinstance(v, (ast.Constant, ast.UnaryOp, ast.Call)), ast.dump(v)
comments = [t.string for t in tokenize.generate_tokens(io.StringIO(src).readline)
            if t.type == tokenize.COMMENT]
assert len(comments) == int(sys.argv[2]), comments
assert all(c.startswith("# Fitted by Scalescope: ") for c in comments), comments
print("ok", [f.name for f in tree.body[1:]])
"##;

#[test]
fn python_snippet_of_hostile_names_parses_to_its_functions_only() {
    let py = python(&hostile());
    let dir = std::env::temp_dir().join(format!("scalescope-hostile-py-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join("laws.py");
    std::fs::write(&path, &py).unwrap_or_else(|e| panic!("{e}"));
    let run = Command::new("python3")
        .args(["-c", CHECK])
        .arg(&path)
        .arg(NAMES.len().to_string())
        .output();
    match run {
        Err(e) => eprintln!("python3 is not available ({e}): the snippet was not parsed"),
        Ok(o) => assert!(
            o.status.success() && String::from_utf8_lossy(&o.stdout).starts_with("ok"),
            "{}\n{}\n{py}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    }
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_are_text() {
    let csv = curves_csv(&hostile());
    for cell in [
        "\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\"",
        "a-b",
        "\"y\nprint(1)\"",
        // A lone CR is quoted, so the row stays one record.
        "\"x\rimport os; os.system('echo pwned')\"",
    ] {
        assert!(
            csv.contains(&format!("\n{cell},data,1000000.0,")),
            "{cell}: {csv}"
        );
    }
    // Read back as CSV: every record has the header's 11 fields, and the formula is text.
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let header = reader.headers().unwrap_or_else(|e| panic!("{e}")).clone();
    assert_eq!(
        header.iter().collect::<Vec<_>>(),
        [
            "group", "kind", "x", "d", "y", "fitted", "lo95", "hi95", "excluded", "pi_lo95",
            "pi_hi95"
        ]
    );
    let mut names = Vec::new();
    for record in reader.records() {
        let record = record.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(record.len(), header.len(), "{record:?}");
        if record.get(1) == Some("data") && record.get(2) == Some("1000000.0") {
            names.push(record.get(0).unwrap_or_default().to_string());
        }
    }
    let mut want: Vec<String> = NAMES.iter().map(|n| n.to_string()).collect();
    want[5] = format!("'{}", NAMES[5]);
    assert_eq!(names, want);
}

#[test]
fn latex_escapes_specials_and_keeps_each_name_on_its_comment_line() {
    let tex = latex_all(&hostile(), "N");
    let comments: Vec<&str> = tex.lines().filter(|l| l.starts_with('%')).collect();
    assert_eq!(comments.len(), NAMES.len(), "{tex}");
    assert_eq!(tex.lines().count(), 2 * NAMES.len(), "{tex}");
    assert!(!tex.contains('\r') && !tex.contains('\u{1b}') && !tex.contains('\u{2028}'));
    assert_eq!(comments[0], "% ximport os; os.system('echo pwned')");
    assert_eq!(comments[1], "% yprint(1)");
    assert_eq!(comments[7], "% z''' \\textbackslash{}");
    assert_eq!(
        comments[8],
        "% 50\\%\\_\\{a\\}\\$\\textasciicircum{}\\textasciitilde{}\\#\\&"
    );
}
