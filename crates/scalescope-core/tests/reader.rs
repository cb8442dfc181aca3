//! The reader on real-world inputs: each case is the text a researcher pastes and a summary
//! of what the reader must make of it (or the message it must show).

use scalescope_core::table::{read_table, ColumnRef, ReadOptions, Role, Table};
use scalescope_core::{Form, Objective};

/// A one-look summary of a read: delimiter, header, roles, points per group, skipped rows,
/// warnings; or `error: <Display>`.
fn summary(result: Result<Table, scalescope_core::table::ReadError>) -> String {
    let table = match result {
        Ok(t) => t,
        Err(e) => return format!("error: {e}"),
    };
    let roles: Vec<String> = table
        .headers()
        .iter()
        .zip(table.roles())
        .map(|(h, r)| format!("{h}={r}"))
        .collect();
    let mut out = format!(
        "{} header={} [{}]\n",
        table.delimiter(),
        table.has_header(),
        roles.join(" ")
    );
    for (group, p) in table.groups() {
        out += &format!("{group:?}: x={:?}", p.x);
        if let Some(d) = &p.d {
            out += &format!(" d={d:?}");
        }
        out += &format!(" y={:?}", p.y);
        if let Some(w) = &p.weights {
            out += &format!(" w={w:?}");
        }
        out += "\n";
    }
    for s in table.skipped() {
        out += &format!("skip {s}\n");
    }
    for w in table.warnings() {
        out += &format!("warn {w}\n");
    }
    out
}

fn check(name: &str, input: &str, options: &ReadOptions, expected: &str) {
    let got = summary(read_table(input, options));
    assert_eq!(
        got.trim(),
        expected.trim(),
        "case {name}:\n--- got ---\n{got}\n--- expected ---\n{expected}"
    );
}

#[test]
fn real_world_inputs() {
    let d = ReadOptions::new;
    let cases: Vec<(&str, String, ReadOptions, &str)> = vec![
        (
            "spreadsheet paste (tabs, English locale)",
            "model\tparams\tloss\npythia\t70000000\t3.52\npythia\t160000000\t3.23\n".into(),
            d(),
            r#"tab header=true [model=group params=N loss=loss]
Some("pythia"): x=[70000000.0, 160000000.0] y=[3.52, 3.23]"#,
        ),
        (
            "spreadsheet paste (tabs, English locale, formatted thousands)",
            "tokens\tloss\n150,000\t2.53\n1,200,000\t2.31\n".into(),
            d(),
            r#"tab header=true [tokens=D loss=loss]
None: x=[150000.0, 1200000.0] y=[2.53, 2.31]"#,
        ),
        (
            "spreadsheet paste (tabs, German locale: decimal comma)",
            "N\tVerlust\n70000000\t3,52\n160000000\t3,23\n".into(),
            d(),
            r#"tab header=true [N=N Verlust=loss]
None: x=[70000000.0, 160000000.0] y=[3.52, 3.23]
warn no column is named like loss: using column Verlust as loss"#,
        ),
        (
            "semicolon CSV with decimal comma (French Excel)",
            "N;D;loss\n1,5e9;3e10;2,31\n3e9;6e10;2,12\n".into(),
            d(),
            r#"semicolon header=true [N=N D=D loss=loss]
None: x=[1500000000.0, 3000000000.0] d=[30000000000.0, 60000000000.0] y=[2.31, 2.12]"#,
        ),
        (
            "ML suffixes",
            "N,D,loss\n70M,1.4T,3.5\n1.4B,300b,2.9\n7b,2.5t,2.5\n".into(),
            d(),
            r#"comma header=true [N=N D=D loss=loss]
None: x=[70000000.0, 1400000000.0, 7000000000.0] d=[1400000000000.0, 300000000000.0, 2500000000000.0] y=[3.5, 2.9, 2.5]"#,
        ),
        (
            "UTF-8 BOM from Excel's CSV export",
            "\u{feff}N,loss\n1e9,2.5\n2e9,2.3\n".into(),
            d(),
            "comma header=true [N=N loss=loss]\nNone: x=[1000000000.0, 2000000000.0] y=[2.5, 2.3]",
        ),
        (
            "CRLF line ends, positions still right",
            "N,loss\r\n1e9,2.5\r\n2e9,oops\r\n4e9,2.1\r\n".into(),
            d(),
            r#"comma header=true [N=N loss=loss]
None: x=[1000000000.0, 4000000000.0] y=[2.5, 2.1]
skip line 3: 'oops' in column loss is not a number"#,
        ),
        (
            "quoted thousands separators",
            "N,loss\n\"1,000,000\",3.2\n\"12,500,000\",\"2.9\"\n".into(),
            d(),
            "comma header=true [N=N loss=loss]\nNone: x=[1000000.0, 12500000.0] y=[3.2, 2.9]",
        ),
        (
            "ragged row: too short",
            "N,D,loss\n1e9,2e10,2.5\n2e9,3.1\n4e9,8e10,2.2\n".into(),
            d(),
            r#"comma header=true [N=N D=D loss=loss]
None: x=[1000000000.0, 4000000000.0] d=[20000000000.0, 80000000000.0] y=[2.5, 2.2]
skip line 3: column loss is empty"#,
        ),
        (
            "ragged row: too long",
            "N,loss\n1e9,2.5\n2e9,2.3,extra\n4e9,2.1\n".into(),
            d(),
            r#"comma header=true [N=N loss=loss]
None: x=[1000000000.0, 4000000000.0] y=[2.5, 2.1]
skip line 3: 3 fields but the table has 2 columns ('extra' is field 3)"#,
        ),
        (
            "trailing delimiters on every line",
            "N,loss,\n1e9,2.5,\n2e9,2.3,\n".into(),
            d(),
            "comma header=true [N=N loss=loss]\nNone: x=[1000000000.0, 2000000000.0] y=[2.5, 2.3]",
        ),
        (
            "text in a numeric column, line 14",
            format!(
                "# run log\nN,loss\n{}\n2e10,n/a\n",
                (1..=11)
                    .map(|i| format!("{i}e9,{}", 3.0 - f64::from(i) * 0.1))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
            d(),
            r#"comma header=true [N=N loss=loss]
None: x=[1000000000.0, 2000000000.0, 3000000000.0, 4000000000.0, 5000000000.0, 6000000000.0, 7000000000.0, 8000000000.0, 9000000000.0, 10000000000.0, 11000000000.0] y=[2.9, 2.8, 2.7, 2.6, 2.5, 2.4, 2.3, 2.2, 2.1, 2.0, 1.9]
skip line 14: 'n/a' in column loss is not a number"#,
        ),
        (
            "empty input",
            String::new(),
            d(),
            "error: the input is empty: paste a table with a header row and at least one data row",
        ),
        (
            "only comments and blank lines",
            "# nothing yet\n\n   \n".into(),
            d(),
            "error: the input is empty: paste a table with a header row and at least one data row",
        ),
        (
            "header only",
            "N,D,loss\n".into(),
            d(),
            "error: only a header row (N, D, loss) and no data rows",
        ),
        (
            "one row",
            "N,loss\n1e9,2.5\n".into(),
            d(),
            "comma header=true [N=N loss=loss]\nNone: x=[1000000000.0] y=[2.5]",
        ),
        (
            "zero and negative values under a log form",
            "N,loss\n0,3.0\n1e9,-1\n2e9,2.5\n4e9,0\n8e9,2.2\n".into(),
            d(),
            r#"comma header=true [N=N loss=loss]
None: x=[2000000000.0, 8000000000.0] y=[2.5, 2.2]
skip line 2: 0 in column N must be positive (its logarithm is taken)
skip line 3: -1 in column loss must be positive (its logarithm is taken)
skip line 5: 0 in column loss must be positive (its logarithm is taken)"#,
        ),
        (
            "negative x kept for a linear-space exponential fit",
            "x,y\n-1,0.5\n0,1\n1,2.7\n".into(),
            d().with_positivity(Form::Exponential.positivity(Objective::Ls)),
            "comma header=true [x=x y=loss]\nNone: x=[-1.0, 0.0, 1.0] y=[0.5, 1.0, 2.7]",
        ),
        (
            "duplicate headers",
            "N,loss,loss\n1e9,2.5,9\n2e9,2.3,9\n".into(),
            d(),
            r#"comma header=true [N=N loss=loss loss=ignore]
None: x=[1000000000.0, 2000000000.0] y=[2.5, 2.3]
warn columns loss and loss both look like loss: using loss, ignoring loss"#,
        ),
        (
            "perplexity converted to loss",
            "params,val_ppl\n1e9,20.085536923187668\n2e9,7.38905609893065\n".into(),
            d(),
            r#"comma header=true [params=N val_ppl=perplexity]
None: x=[1000000000.0, 2000000000.0] y=[3.0, 2.0]
warn perplexity in column val_ppl converted to loss: loss = ln(ppl)"#,
        ),
        (
            "N and C only: D = C/(6N)",
            "N,C,loss\n1e9,6e19,2.5\n2e9,1.2e21,2.1\n".into(),
            d(),
            r#"comma header=true [N=N C=C loss=loss]
None: x=[1000000000.0, 2000000000.0] d=[10000000000.0, 100000000000.0] y=[2.5, 2.1]
warn no D column: D computed as C / (6N)"#,
        ),
        (
            "Epoch's Chinchilla layout: N, D, C, loss (C unused)",
            "N,D,C,loss\n6795600349.289497,245105957.9245427,9.99e+18,5.0055\n".into(),
            d(),
            r#"comma header=true [N=N D=D C=C loss=loss]
None: x=[6795600349.289497] d=[245105957.9245427] y=[5.0055]"#,
        ),
        (
            "no header: two numeric columns",
            "1e9 2.5\n2e9 2.3\n".into(),
            d(),
            r#"whitespace header=false [column 1=x column 2=loss]
None: x=[1000000000.0, 2000000000.0] y=[2.5, 2.3]
warn no column is named like loss: using column 2 as loss
warn no column is named like x: using column 1 as x"#,
        ),
        (
            "no header: a text column becomes the group",
            "gpt,1e9,2.5\ngpt,2e9,2.3\nllama,1e9,2.4\n".into(),
            d(),
            r#"comma header=false [column 1=group column 2=x column 3=loss]
Some("gpt"): x=[1000000000.0, 2000000000.0] y=[2.5, 2.3]
Some("llama"): x=[1000000000.0] y=[2.4]
warn no column is named like loss: using column 3 as loss
warn no column is named like x: using column 2 as x
warn no column is named like group: using column 1 as group"#,
        ),
        (
            "aligned table copied from a paper",
            "  Model        N        D     Loss\n  small      70M     1.4B     3.51\n  \"big one\"  1.4B    28B      2.61\n".into(),
            d(),
            r#"whitespace header=true [Model=group N=N D=D Loss=loss]
Some("small"): x=[70000000.0] d=[1400000000.0] y=[3.51]
Some("big one"): x=[1400000000.0] d=[28000000000.0] y=[2.61]"#,
        ),
        (
            "comments and blank lines between rows keep line numbers",
            "# exported 2024-05-01\nN,loss\n\n1e9,2.5\n# a note\n\n2e9,\n4e9,2.1\n".into(),
            d(),
            r#"comma header=true [N=N loss=loss]
None: x=[1000000000.0, 4000000000.0] y=[2.5, 2.1]
skip line 7: column loss is empty"#,
        ),
        (
            "W&B export: Step, val/loss and its MIN/MAX",
            "\"Step\",\"val/loss\",\"val/loss__MIN\",\"val/loss__MAX\"\n1000,3.1,3.0,3.2\n2000,2.8,2.7,2.9\n".into(),
            d(),
            r#"comma header=true [Step=x val/loss=loss val/loss__MIN=ignore val/loss__MAX=ignore]
None: x=[1000.0, 2000.0] y=[3.1, 2.8]
warn no column is named like x: using column Step as x"#,
        ),
        (
            "groups in order of first appearance",
            "family,N,loss\nllama,1e9,2.4\ngpt,1e9,2.5\nllama,2e9,2.2\n".into(),
            d(),
            r#"comma header=true [family=group N=N loss=loss]
Some("llama"): x=[1000000000.0, 2000000000.0] y=[2.4, 2.2]
Some("gpt"): x=[1000000000.0] y=[2.5]"#,
        ),
        (
            "scientific notation from papers",
            "C,loss\n6e23,2.0\n6E+23,2.0\n1.4×10^24,1.9\n−2.5e1,1\n".into(),
            d(),
            r#"comma header=true [C=C loss=loss]
None: x=[6e23, 6e23, 1.4e24] y=[2.0, 2.0, 1.9]
skip line 5: -25 in column C must be positive (its logarithm is taken)"#,
        ),
        (
            "every row unusable",
            "N,loss\nsmall,n/a\nbig,n/a\n".into(),
            d(),
            "error: no usable row: line 2: 'small' in column N is not a number (and 1 more row)",
        ),
        (
            "nothing numeric at all",
            "a,b\nx,y\n".into(),
            d(),
            "error: no loss column: name one loss, val_loss, ppl or perplexity, or set a column's role to loss",
        ),
        (
            "roles chosen by the user override the guesses",
            "N,tokens,loss,ppl\n1e9,2e10,2.5,12.18\n2e9,4e10,2.3,9.97\n".into(),
            d().with_role(ColumnRef::Name("n".into()), Role::X),
            r#"comma header=true [N=x tokens=ignore loss=loss ppl=ignore]
None: x=[1000000000.0, 2000000000.0] y=[2.5, 2.3]
warn columns loss and ppl both look like loss: using loss, ignoring ppl"#,
        ),
        (
            "a role for a column that does not exist",
            "N,loss\n1e9,2.5\n".into(),
            d().with_role(ColumnRef::Name("tokens".into()), Role::D),
            "error: no column 'tokens': the columns are N, loss",
        ),
        (
            "x mixed with N",
            "x,N,loss\n1,1e9,2.5\n".into(),
            d().with_role(ColumnRef::Index(0), Role::X)
                .with_role(ColumnRef::Index(1), Role::N),
            "error: column x is x, which cannot be combined with N, D or C (N); use N and D for two inputs",
        ),
        (
            "quoted group names with commas and quotes",
            "model,N,loss\n\"GPT-3, \"\"175B\"\"\",175B,2.0\n\"GPT-3, \"\"13B\"\"\",13B,2.3\n".into(),
            d(),
            r#"comma header=true [model=group N=N loss=loss]
Some("GPT-3, \"175B\""): x=[175000000000.0] y=[2.0]
Some("GPT-3, \"13B\""): x=[13000000000.0] y=[2.3]"#,
        ),
        (
            "pandas to_csv with its unnamed index column",
            ",N,loss\n0,1e9,2.5\n1,2e9,2.3\n".into(),
            d(),
            "comma header=true [column 1=ignore N=N loss=loss]\nNone: x=[1000000000.0, 2000000000.0] y=[2.5, 2.3]",
        ),
        (
            "spaces after commas and quotes after spaces",
            "N, loss\n1e9, \"2.5\"\n2e9,   2.3\n".into(),
            d(),
            "comma header=true [N=N loss=loss]\nNone: x=[1000000000.0, 2000000000.0] y=[2.5, 2.3]",
        ),
        (
            "semicolon with dot-grouped thousands and decimal comma",
            "N;loss\n1.000.000;3,25\n2.500.000;3,1\n".into(),
            d(),
            "semicolon header=true [N=N loss=loss]\nNone: x=[1000000.0, 2500000.0] y=[3.25, 3.1]",
        ),
        (
            "weights and a negative weight",
            "N,loss,weight\n1e9,2.5,1\n2e9,2.3,0.5\n4e9,2.1,-1\n".into(),
            d(),
            r#"comma header=true [N=N loss=loss weight=weight]
None: x=[1000000000.0, 2000000000.0] y=[2.5, 2.3] w=[1.0, 0.5]
skip line 4: weight -1 in column weight is negative"#,
        ),
        (
            "Markdown table from a README",
            "| Model | Params | Loss |\n|:------|------:|-----:|\n| tiny | 70M | 3.51 |\n| base | 1.4B | - |\n".into(),
            d(),
            r#"pipe header=true [Model=group Params=N Loss=loss]
Some("tiny"): x=[70000000.0] y=[3.51]
skip line 4: '-' in column Loss is not a number"#,
        ),
        (
            "empty group cell",
            "model,N,loss\ngpt,1e9,2.5\n,2e9,2.3\n".into(),
            d(),
            r#"comma header=true [model=group N=N loss=loss]
Some("gpt"): x=[1000000000.0] y=[2.5]
skip line 3: column model is empty (no group)"#,
        ),
    ];
    assert!(cases.len() >= 30, "{} cases", cases.len());
    for (name, input, options, expected) in &cases {
        check(name, input, options, expected);
    }
}

/// A 50 MB paste (about 1.6 million rows) is read whole, with its one bad row listed.
#[test]
fn fifty_megabyte_paste() {
    let mut text = String::from("N\tD\tloss\n");
    let mut rows = 0;
    while text.len() < 50_000_000 {
        rows += 1;
        let n = 1e8 + rows as f64;
        text += &format!("{n}\t{}\t{}\n", 20.0 * n, 2.0 + 1.0 / rows as f64);
    }
    text += "1e9\t2e10\tNaN\n";
    let table = read_table(&text, &ReadOptions::new()).expect("large paste reads");
    assert_eq!(table.len(), rows + 1);
    assert_eq!(table.usable_rows(), rows);
    let skipped = table.skipped();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].line, rows + 2);
    assert_eq!(skipped[0].text, "NaN");
    let groups = table.groups();
    assert_eq!(groups[0].1.x.len(), rows);
    assert_eq!(groups[0].1.d.as_ref().map(Vec::len), Some(rows));
}

/// The page's role selector changes one column at a time; a role only one column may hold
/// moves, and a change that leaves no loss is refused without touching the table.
#[test]
fn re_roling_without_reading_again() {
    let text = "N,D,loss,ppl,model\n1e9,2e10,2.5,12.2,a\n2e9,4e10,2.3,10.0,a\n4e9,8e10,n/a,8.2,b\n";
    let mut table = read_table(text, &ReadOptions::new()).expect("reads");
    assert_eq!(
        table.roles(),
        &[Role::N, Role::D, Role::Loss, Role::Ignore, Role::Group]
    );
    assert_eq!(table.usable_rows(), 2);
    assert_eq!(table.groups().len(), 1);

    // Perplexity becomes the y: the loss column is set to ignore, the third row is usable.
    table
        .set_role(3, Role::Perplexity)
        .expect("ppl can be the y");
    assert_eq!(table.roles()[2], Role::Ignore);
    assert_eq!(table.usable_rows(), 3);
    assert!(table.skipped().is_empty());
    let groups = table.groups();
    assert_eq!(groups.len(), 2);
    assert!((groups[1].1.y[0] - 8.2f64.ln()).abs() < 1e-15);
    assert!(table
        .warnings()
        .iter()
        .any(|w| w.to_string().contains("converted to loss")));

    // x displaces N and D.
    table.set_role(0, Role::X).expect("x alone is an input");
    assert_eq!(table.roles()[..2], [Role::X, Role::Ignore]);
    assert_eq!(table.groups()[0].1.d, None);

    // Leaving no y is refused and changes nothing.
    let before = table.clone();
    let err = table
        .set_role(3, Role::Ignore)
        .expect_err("no loss column left");
    assert!(err.to_string().starts_with("no loss column"), "{err}");
    assert_eq!(table, before);
    let err = table.set_roles(vec![Role::X; 2]).expect_err("wrong count");
    assert_eq!(err.to_string(), "2 roles given for 5 columns");
    assert!(table.set_role(9, Role::X).is_err());
    assert_eq!(table, before);
}
