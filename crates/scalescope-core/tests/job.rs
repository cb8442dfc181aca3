//! The worker's jobs: a session answers exactly as reading and fitting by hand would, keeps
//! the last table that read, and every request and response survives its bytes unchanged
//! (every `f64` by its bits); any bytes give a message or an error, never a panic.

use proptest::prelude::*;
use scalescope_core::analysis::{analyze, Analysis, AnalysisOptions, GroupFit};
use scalescope_core::examples::ExampleId;
use scalescope_core::job::{
    decode_request, decode_response, encode_request, encode_response, Job, JobError, Outcome,
    Request, Response, Session, FORMAT,
};
use scalescope_core::share::{self, FullState, Link};
use scalescope_core::table::{
    read_table, ColumnRef, Delimiter, Positivity, ReadError, ReadOptions, Role, SizeLimit, Skipped,
    Table,
};
use scalescope_core::{
    Column, Fit, FitError, FitMode, Form, Metrics, Objective, Points, SeMethod, Space, Termination,
};
use std::path::PathBuf;

fn job(text: &str, form: Form) -> Job {
    Job {
        text: text.to_string(),
        read: ReadOptions::new(),
        analysis: AnalysisOptions {
            form,
            ..AnalysisOptions::default()
        },
    }
}

/// Reading and fitting by hand, as the page did before the worker.
fn by_hand(job: &Job, last_good: Option<&Table>) -> Outcome {
    match read_table(&job.text, &job.read) {
        Ok(t) => Outcome {
            read: Ok(()),
            analysis: Some(analyze(&t, &job.analysis)),
            table: Some(t),
        },
        Err(e) => Outcome {
            read: Err(e),
            table: None,
            analysis: last_good.map(|t| analyze(t, &job.analysis)),
        },
    }
}

/// Equal in every field, NaN included: the `Debug` text names every field (and NaN equals
/// NaN there), the bytes compare every `f64` by its bits.
fn assert_same_response(a: &Response, b: &Response) {
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    assert_eq!(encode_response(a), encode_response(b));
}

fn assert_same(a: &Outcome, b: &Outcome) {
    assert_same_response(
        &Response::Analysed {
            id: 0,
            outcome: a.clone(),
        },
        &Response::Analysed {
            id: 0,
            outcome: b.clone(),
        },
    );
}

/// Encodes, decodes, and checks the result is the original; returns the bytes.
fn round_trip(response: &Response) -> Vec<u8> {
    let bytes = encode_response(response);
    let back = decode_response(&bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_same_response(&back, response);
    // Fields whose PartialEq holds (no NaN) compare equal too.
    if let (Response::Analysed { outcome: a, .. }, Response::Analysed { outcome: b, .. }) =
        (&back, response)
    {
        assert_eq!(a.table, b.table);
        assert_eq!(a.read, b.read);
    }
    bytes
}

fn round_trip_request(request: &Request) -> Vec<u8> {
    let bytes = encode_request(request);
    assert_eq!(decode_request(&bytes).as_ref(), Ok(request));
    bytes
}

fn forms_for(id: ExampleId) -> Vec<Form> {
    match id {
        ExampleId::ChinchillaSweep => vec![Form::Chinchilla, Form::Power, Form::Saturating],
        _ => vec![Form::Power, Form::Log, Form::Saturating, Form::Exponential],
    }
}

#[test]
fn a_session_answers_as_reading_and_fitting_by_hand_for_every_example() {
    for id in ExampleId::ALL {
        let text = id.generate().csv;
        for form in forms_for(id) {
            let job = job(&text, form);
            let outcome = Session::new().run(&job);
            assert_eq!(outcome.read, Ok(()));
            assert!(
                outcome
                    .analysis
                    .as_ref()
                    .is_some_and(|a| a.groups.iter().all(|g| g.fit.is_ok())),
                "{id:?} {form:?}"
            );
            assert_same(&outcome, &by_hand(&job, None));
            let response = Response::Analysed { id: 3, outcome };
            let bytes = round_trip(&response);
            round_trip_request(&Request::Analyse { id: 3, job });
            eprintln!("{id:?} {form:?}: {} bytes", bytes.len());
        }
    }
}

/// A custom law crosses to the worker and back: the formula travels in the request, the
/// fits in the response name it, and the session answers as fitting by hand.
#[test]
fn a_session_fits_a_custom_law_as_by_hand() {
    let form = Form::custom(&scalescope_core::laws::custom::CustomSpec {
        text: "E + A*N^-alpha + B*D^-beta".to_string(),
        starts: vec![("alpha".to_string(), 0.3)],
        positive: vec!["A".to_string(), "B".to_string()],
    })
    .unwrap();
    let text = ExampleId::ChinchillaSweep.generate().csv;
    let job = job(&text, form);
    let outcome = Session::new().run(&job);
    let groups = &outcome.analysis.as_ref().unwrap().groups;
    assert!(groups
        .iter()
        .all(|g| g.fit.as_ref().is_ok_and(|f| f.form == form)));
    assert_same(&outcome, &by_hand(&job, None));
    let bytes = round_trip(&Response::Analysed { id: 5, outcome });
    round_trip_request(&Request::Analyse { id: 5, job });
    eprintln!("custom law: {} bytes", bytes.len());
}

#[test]
fn a_session_answers_as_by_hand_for_epochs_chinchilla_data() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/chinchilla_epoch.csv");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipped: {} is not there", path.display());
        return;
    };
    for (form, objective) in [
        (Form::Chinchilla, None),
        (Form::Chinchilla, Some(Objective::Huber { delta: 1e-2 })),
        (Form::Power, None),
    ] {
        let mut job = job(&text, form);
        job.analysis.objective = objective;
        let outcome = Session::new().run(&job);
        assert_eq!(outcome.read, Ok(()));
        assert_eq!(outcome.table.as_ref().map(Table::len), Some(245));
        assert_same(&outcome, &by_hand(&job, None));
        round_trip(&Response::Analysed { id: 1, outcome });
    }
}

#[test]
fn a_read_error_refits_the_last_table_that_read() {
    let mut session = Session::new();
    // Nothing has read yet: no analysis.
    let broken = job("N,loss\n", Form::Power);
    let first = session.run(&broken);
    assert_eq!(
        first.read,
        Err(ReadError::HeaderOnly {
            header: "N, loss".into()
        })
    );
    assert_eq!((first.table, first.analysis), (None, None));

    let good = ExampleId::Families.generate().csv;
    let table = read_table(&good, &ReadOptions::new()).unwrap_or_else(|e| panic!("{e}"));
    session.run(&job(&good, Form::Power));
    // Broken text, and the form changes: the previous data are refitted with the new form.
    let broken = job("family,params,loss\ndense,n/a,3\n", Form::Saturating);
    let outcome = session.run(&broken);
    let expected = read_table(&broken.text, &broken.read).map(|_| ());
    assert!(matches!(expected, Err(ReadError::NoUsableRows { .. })));
    assert_eq!(outcome.read, expected);
    assert_eq!(outcome.table, None);
    let refit = analyze(&table, &broken.analysis);
    assert_eq!(refit.groups.len(), 2);
    assert_same(
        &outcome,
        &Outcome {
            read: expected.clone(),
            table: None,
            analysis: Some(refit),
        },
    );
    assert_same(&outcome, &by_hand(&broken, Some(&table)));
    round_trip(&Response::Analysed { id: 9, outcome });
    // A good text replaces the remembered table.
    let kaplan = ExampleId::KaplanPower.generate().csv;
    session.run(&job(&kaplan, Form::Power));
    let outcome = session.run(&broken);
    let kaplan_table = read_table(&kaplan, &ReadOptions::new()).unwrap_or_else(|e| panic!("{e}"));
    assert_same(&outcome, &by_hand(&broken, Some(&kaplan_table)));
}

/// Groups, a perplexity column, N and C (D derived), weights, a row with an empty group, a
/// row that is not a number, a row with too many fields, a group too small to fit.
const RICH: &str = "model,N,C,ppl,w\n\
a,1e6,6e12,40,1\n\
a,1e7,6e13,30,2\n\
a,1e8,6e14,n/a,1\n\
b,1e6,6e12,45,1\n\
b,1e7,,33,1\n\
# a comment\n\
b,1e8,6e14,27,0.5\n\
,1e9,6e15,20,1\n\
b,1e9,6e15,20,1,extra\n\
b,1e10,6e16,17,1\n\
c,1e9,6e15,20,1\n";

#[test]
fn a_rich_table_survives_its_bytes() {
    let mut job = job(RICH, Form::Power);
    job.analysis.excluded_lines = [3, 8].into();
    let outcome = Session::new().run(&job);
    let table = outcome.table.as_ref().unwrap_or_else(|| panic!("no table"));
    assert_eq!(table.skipped().len(), 4, "{:?}", table.skipped());
    let warnings: Vec<String> = table.warnings().iter().map(|w| w.to_string()).collect();
    assert!(
        warnings.iter().any(|w| w.contains("perplexity"))
            && warnings.contains(&"no D column: D computed as C / (6N)".to_string()),
        "{warnings:?}"
    );
    let analysis = outcome
        .analysis
        .as_ref()
        .unwrap_or_else(|| panic!("no analysis"));
    let names: Vec<_> = analysis.groups.iter().map(|g| g.name.as_deref()).collect();
    assert_eq!(names, [Some("a"), Some("b"), Some("c")]);
    assert!(analysis.groups[1].points.weights.is_some());
    assert!(analysis.groups[1].excluded.contains(&true));
    assert!(matches!(
        analysis.groups[2].fit,
        Err(FitError::TooFewPoints { n: 1, params: 2 })
    ));
    assert_same(&outcome, &by_hand(&job, None));
    round_trip(&Response::Analysed { id: 5, outcome });

    // Merged groups, and the same text with the user's roles and every reading option.
    job.analysis.per_group = false;
    job.analysis.mode = FitMode::Grid;
    job.analysis.objective = Some(Objective::HuberLog { delta: 0.25 });
    job.read = ReadOptions::new()
        .with_delimiter(Delimiter::Comma)
        .with_header(true)
        .with_role(ColumnRef::Name("w".into()), Role::Ignore)
        .with_role(ColumnRef::Index(0), Role::Group)
        .with_positivity(Positivity { x: false, y: true });
    let outcome = Session::new().run(&job);
    assert_eq!(outcome.analysis.as_ref().map(|a| a.groups.len()), Some(1));
    round_trip(&Response::Analysed { id: 6, outcome });
    round_trip_request(&Request::Analyse { id: 6, job });
}

#[test]
fn every_reading_option_and_every_reading_error_survives_its_bytes() {
    let delimiters = [
        None,
        Some(Delimiter::Comma),
        Some(Delimiter::Tab),
        Some(Delimiter::Semicolon),
        Some(Delimiter::Whitespace),
        Some(Delimiter::Pipe),
    ];
    for (i, delimiter) in delimiters.into_iter().enumerate() {
        let read = ReadOptions {
            delimiter,
            header: [None, Some(false), Some(true)][i % 3],
            roles: Role::ALL
                .iter()
                .enumerate()
                .map(|(k, r)| {
                    let c = if k % 2 == 0 {
                        ColumnRef::Index(k * 1000)
                    } else {
                        ColumnRef::Name(format!("col é {k}"))
                    };
                    (c, *r)
                })
                .collect(),
            positivity: Positivity {
                x: i % 2 == 0,
                y: i % 3 == 0,
            },
        };
        let analysis = AnalysisOptions {
            form: Form::ALL[i % Form::ALL.len()],
            objective: [
                None,
                Some(Objective::Ls),
                Some(Objective::LsLog),
                Some(Objective::Huber { delta: 1.5 }),
                Some(Objective::HuberLog {
                    delta: f64::from_bits(0x7ff8_0000_dead_beef),
                }),
                Some(Objective::Huber { delta: -0.0 }),
                Some(Objective::AsymLog { lambda: 10.0 }),
            ][i],
            mode: [FitMode::Default, FitMode::Grid][i % 2],
            per_group: i % 2 == 1,
            fixed: (0..i % 3)
                .map(|k| (format!("p{k}"), k as f64 - 0.5))
                .collect(),
            excluded_lines: [1, 2, 300, usize::MAX].into(),
        };
        let request = Request::Analyse {
            id: u64::MAX - i as u64,
            job: Job {
                text: "ünïcode\ttext\r\n".into(),
                read,
                analysis,
            },
        };
        let bytes = encode_request(&request);
        let back = decode_request(&bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(format!("{back:?}"), format!("{request:?}"));
        assert_eq!(encode_request(&back), bytes);
    }
    let skipped = Skipped {
        line: 12,
        column: Some(3),
        text: "n/a".into(),
        message: "'n/a' in column loss is not a number".into(),
    };
    let errors = [
        ReadError::Empty,
        ReadError::HeaderOnly {
            header: "N, loss".into(),
        },
        ReadError::NoUsableRows {
            first: skipped.clone(),
            more: 41,
        },
        ReadError::NoUsableRows {
            first: Skipped {
                column: None,
                ..skipped
            },
            more: 0,
        },
        ReadError::NoY,
        ReadError::NoInput,
        ReadError::DuplicateRole {
            role: Role::Perplexity,
            first: "a".into(),
            second: "b".into(),
        },
        ReadError::MixedInputs {
            x: "x".into(),
            other: "N".into(),
        },
        ReadError::UnknownColumn {
            column: "'tokens'".into(),
            available: "N, loss".into(),
        },
        ReadError::RoleCount {
            expected: 3,
            got: 2,
        },
        ReadError::TooLarge {
            line: 1,
            limit: SizeLimit::Columns { found: 1_000_003 },
        },
        ReadError::TooLarge {
            line: 264,
            limit: SizeLimit::Cells {
                limit: 1 << 20,
                columns: 4000,
            },
        },
        ReadError::TooLarge {
            line: 9,
            limit: SizeLimit::Rows { limit: 1 << 18 },
        },
        ReadError::TooLarge {
            line: 131_074,
            limit: SizeLimit::Groups,
        },
    ];
    for e in errors {
        let outcome = Outcome {
            read: Err(e),
            table: None,
            analysis: None,
        };
        round_trip(&Response::Analysed { id: 0, outcome });
    }
}

fn metrics(seed: f64) -> Metrics {
    Metrics {
        n: 7,
        dof: 5,
        objective: seed,
        sse: seed * 2.0,
        rmse: f64::NAN,
        ser: f64::INFINITY,
        r2: -0.0,
        r2_space: Space::Log,
        r2_raw: f64::from_bits(0xfff0_0000_0000_0001), // a signalling NaN with a payload
        aic: f64::MIN_POSITIVE / 4.0,
        bic: f64::NEG_INFINITY,
    }
}

fn fit_with(termination: Termination, covariance: bool) -> Fit {
    Fit {
        form: Form::Saturating,
        objective: Objective::Huber { delta: 0.1 },
        params: vec![1.5, f64::from_bits(0x7ff8_0000_0000_1234), -2.0],
        pinned: vec![false, true, false],
        stderr: vec![0.1, f64::NAN, 3.0],
        ci95: vec![(1.0, 2.0), (f64::NAN, f64::NAN), (-1.0, 7.0)],
        covariance: covariance
            .then(|| nalgebra::DMatrix::from_fn(3, 2, |i, j| (i * 10 + j) as f64 + 0.5)),
        se_method: if covariance {
            SeMethod::SandwichSmoothed { inside: 2 }
        } else {
            SeMethod::Sandwich
        },
        metrics: metrics(0.25),
        termination,
        start: Some(vec![1.0, 2.0, 0.5]),
        warnings: vec!["JᵀJ is singular".into(), String::new()],
    }
}

#[test]
fn every_fit_termination_and_fitting_error_survives_its_bytes() {
    let terminations = [
        Termination::ClosedForm,
        Termination::Converged {
            test: "relative step",
            iterations: 12,
        },
        Termination::ResidualsZero { iterations: 3 },
        Termination::MaxIterations { iterations: 1000 },
        Termination::NoProgress {
            detail: "xtol",
            iterations: 9,
        },
        Termination::Numerical {
            detail: "a text this build never makes",
        },
    ];
    let errors = [
        FitError::LengthMismatch {
            column: Column::Weight,
            expected: 4,
            len: 3,
        },
        FitError::MissingD,
        FitError::TooFewPoints { n: 1, params: 5 },
        FitError::TooFewDistinct {
            distinct: 2,
            params: 3,
            pairs: false,
        },
        FitError::TooFewDistinct {
            distinct: 4,
            params: 5,
            pairs: true,
        },
        FitError::NonFinite {
            index: 2,
            column: Column::D,
        },
        FitError::NonPositive {
            index: 0,
            column: Column::Y,
            value: -0.0,
        },
        FitError::BadWeight {
            index: 4,
            value: f64::from_bits(0xfff8_0000_0000_0042), // a negative NaN with a payload
        },
        FitError::ConstantInput { column: Column::X },
        FitError::BadDelta(f64::NEG_INFINITY),
        FitError::NoFiniteStart,
        FitError::GridUnavailable,
        FitError::Dimension {
            expected: 3,
            got: 30,
        },
    ];
    let points = Points {
        x: vec![1.0, 2.0, f64::from_bits(1)],
        d: Some(vec![]),
        y: vec![3.0, 2.0, 1.0],
        weights: None,
    };
    let mut groups: Vec<GroupFit> = terminations
        .into_iter()
        .enumerate()
        .map(|(i, t)| GroupFit {
            name: (i % 2 == 0).then(|| format!("group {i}")),
            points: points.clone(),
            lines: vec![5, 3, usize::MAX, 0],
            excluded: vec![true, false],
            fit: Ok(fit_with(t, i % 2 == 1)),
        })
        .collect();
    groups.extend(errors.into_iter().map(|e| GroupFit {
        name: None,
        points: Points::default(),
        lines: vec![],
        excluded: vec![],
        fit: Err(e),
    }));
    let outcome = Outcome {
        read: Ok(()),
        table: None,
        analysis: Some(Analysis { groups }),
    };
    let response = Response::Analysed { id: 77, outcome };
    round_trip(&response);
    // NaN payloads and signs come back bit for bit.
    let Ok(Response::Analysed { outcome, .. }) = decode_response(&encode_response(&response))
    else {
        panic!("does not decode")
    };
    let back = &outcome
        .analysis
        .unwrap_or_else(|| panic!("no analysis"))
        .groups[0];
    let Ok(fit) = &back.fit else { panic!("no fit") };
    assert_eq!(fit.params[1].to_bits(), 0x7ff8_0000_0000_1234);
    assert_eq!(fit.metrics.r2_raw.to_bits(), 0xfff0_0000_0000_0001);
    assert_eq!(fit.metrics.r2.to_bits(), (-0.0f64).to_bits());
    assert_eq!(back.points.x[2].to_bits(), 1);
    assert_eq!(back.lines, vec![5, 3, usize::MAX, 0]);
}

#[test]
fn encode_link_gives_the_links_fragment() {
    let mut state = FullState::new(ExampleId::Families.generate().csv, Form::Saturating);
    state.excluded = [4, 9].into();
    state.roles = vec![(1, Role::N)];
    let table = read_table(&state.csv, &ReadOptions::new()).unwrap_or_else(|e| panic!("{e}"));
    let analysis = analyze(&table, &AnalysisOptions::default());
    let fits: Vec<_> = analysis
        .groups
        .iter()
        .filter_map(|g| g.fit.as_ref().ok().map(|f| (g.name.as_deref(), f)))
        .collect();
    let fit_only = share::fit_only("params", fits.iter().copied(), share::View::default());
    for link in [Link::Full(state.clone()), Link::FitOnly(fit_only)] {
        let request = Request::EncodeLink {
            id: 42,
            body: share::body(&link),
        };
        round_trip_request(&request);
        let response = Session::new().respond(request);
        assert_eq!(
            response,
            Response::Encoded {
                id: 42,
                fragment: share::encode(&link)
            }
        );
        round_trip(&response);
        let Response::Encoded { fragment, .. } = response else {
            unreachable!()
        };
        assert_eq!(share::decode(&fragment), Ok(link));
    }
}

#[test]
fn respond_runs_the_job_and_keeps_the_id() {
    let mut session = Session::new();
    let job = job(&ExampleId::KaplanPower.generate().csv, Form::Power);
    let response = session.respond(Request::Analyse {
        id: 123,
        job: job.clone(),
    });
    let Response::Analysed { id, outcome } = response else {
        panic!("not an analysis")
    };
    assert_eq!(id, 123);
    assert_same(&outcome, &by_hand(&job, None));
}

#[test]
fn problems_have_their_own_errors() {
    let request = Request::EncodeLink {
        id: 1,
        body: vec![1, 2, 3],
    };
    let bytes = encode_request(&request);
    assert_eq!(decode_request(&[]), Err(JobError::Truncated { at: 0 }));
    let mut other = bytes.clone();
    other[0] = FORMAT + 1;
    assert_eq!(
        decode_request(&other),
        Err(JobError::Format { found: FORMAT + 1 })
    );
    // A request is not a response.
    assert_eq!(
        decode_response(&bytes),
        Err(JobError::BadTag {
            what: "kind of response",
            tag: 2,
            at: 1
        })
    );
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(
        decode_request(&longer),
        Err(JobError::TrailingBytes { extra: 1 })
    );
    // A forged huge count is refused before anything is allocated.
    let forged = [FORMAT, 2, 1, 0xff, 0xff, 0xff, 0xff, 0x0f];
    assert!(matches!(
        decode_request(&forged),
        Err(JobError::Truncated { .. })
    ));
    let message = JobError::Format { found: 9 }.to_string();
    assert!(message.contains("reload the page"), "{message}");
}

#[test]
fn every_cut_of_a_message_is_an_error() {
    let mut job = job(RICH, Form::Saturating);
    job.analysis.excluded_lines = [3].into();
    let outcome = Session::new().run(&job);
    let messages = [
        encode_response(&Response::Analysed { id: 300, outcome }),
        encode_request(&Request::Analyse { id: 300, job }),
    ];
    for bytes in &messages {
        for cut in 0..bytes.len() {
            let prefix = &bytes[..cut];
            assert!(decode_response(prefix).is_err(), "cut at {cut}");
            assert!(decode_request(prefix).is_err(), "cut at {cut}");
        }
    }
}

/// Text, numbers in several spellings, NaN-ish words and empty fields.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec!["1", "2.5", "1e6", "3e9", "70M", "1.4B", "0.3"]),
        1 => prop::sample::select(vec![
            "-3", "0", "abc", "", "NaN", "nan", "inf", "n/a", "\"1,5\"", "4,25", "1e400",
        ]),
    ]
    .prop_map(str::to_string)
}

fn header() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "N", "D", "C", "loss", "ppl", "model", "w", "x", "tokens", "step", "",
    ])
    .prop_map(str::to_string)
}

fn csv_text() -> impl Strategy<Value = String> {
    (1usize..5, prop::sample::select(vec![",", "\t", ";", "  "])).prop_flat_map(|(width, sep)| {
        (
            prop::option::of(prop::collection::vec(header(), width)),
            prop::collection::vec(prop::collection::vec(cell(), width), 0..12),
        )
            .prop_map(move |(head, rows)| {
                let mut text = String::new();
                for row in head.iter().chain(&rows) {
                    text.push_str(&row.join(sep));
                    text.push('\n');
                }
                text
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn random_tables_survive_their_bytes(
        first in csv_text(),
        second in csv_text(),
        form in prop::sample::select(vec![Form::Power, Form::Log, Form::Saturating]),
        excluded in prop::collection::btree_set(1usize..14, 0..4),
    ) {
        let mut session = Session::new();
        for text in [first, second] {
            let mut job = job(&text, form);
            job.analysis.excluded_lines = excluded.iter().copied().collect();
            round_trip_request(&Request::Analyse { id: 1, job: job.clone() });
            let outcome = session.run(&job);
            round_trip(&Response::Analysed { id: 2, outcome });
        }
    }

    #[test]
    fn any_bytes_give_a_message_or_an_error(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = decode_request(&bytes);
        let _ = decode_response(&bytes);
        // Past the head, where the fields are read.
        for kind in 1..=4 {
            let mut framed = vec![FORMAT, kind, 0];
            framed.extend(&bytes);
            let _ = decode_request(&framed);
            let _ = decode_response(&framed);
        }
    }

    #[test]
    fn a_changed_byte_gives_a_message_or_an_error(at in any::<prop::sample::Index>(), value in any::<u8>()) {
        let outcome = Session::new().run(&job(RICH, Form::Power));
        let mut bytes = encode_response(&Response::Analysed { id: 1, outcome });
        let at = at.index(bytes.len());
        bytes[at] = value;
        let _ = decode_response(&bytes);
    }
}

/// A bootstrap chunk in the worker refits exactly what [`bootstrap::run_chunk`] refits for
/// each group; a chunk without a job reuses the previous chunk's analysis, so a bootstrap
/// split over chunks (and workers) is the bootstrap of one run; request and answer survive
/// their bytes.
#[test]
fn bootstrap_chunks_are_the_cores_refits_and_survive_their_bytes() {
    use scalescope_core::bootstrap::run_chunk;
    let example = ExampleId::ALL[0].generate();
    let job = job(&example.csv, Form::Saturating);
    let table = read_table(&job.text, &job.read).unwrap_or_else(|e| panic!("{e}"));
    let analysis = analyze(&table, &job.analysis);
    let options = job.analysis.fit_options();
    let by_hand: Vec<_> = analysis
        .groups
        .iter()
        .map(|g| {
            let full = g.fit.as_ref().unwrap_or_else(|e| panic!("{e}"));
            run_chunk(&g.fitted_points(), &options, full, 13, 0..30)
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    assert_eq!(by_hand.len(), 2, "two families");
    assert!(by_hand
        .iter()
        .all(|g| g.len() == 30 && g.iter().filter(|p| p.is_some()).count() > 25));

    let mut session = Session::new();
    assert!(
        session.resample(None, 13, 0..10).is_empty(),
        "no job yet: nothing to refit"
    );
    let first = session.resample(Some(job.clone()), 13, 0..12);
    let rest = session.resample(None, 13, 12..30);
    for (g, want) in by_hand.iter().enumerate() {
        let mut got = first[g].clone();
        got.extend(rest[g].iter().cloned());
        assert_eq!(&got, want, "group {g}");
    }

    let request = Request::Bootstrap {
        id: 7,
        job: Some(job),
        seed: 13,
        range: 0..12,
    };
    round_trip_request(&request);
    round_trip_request(&Request::Bootstrap {
        id: 8,
        job: None,
        seed: u64::MAX,
        range: 12..30,
    });
    let answer = session.respond(request);
    let Response::Resampled { id, start, groups } = &answer else {
        panic!("{answer:?}");
    };
    assert_eq!((*id, *start), (7, 0));
    assert_eq!(groups, &first);
    round_trip(&answer);
    // A forged range is cut to one whole bootstrap, not looped over for ever.
    let long = session.resample(None, 13, 0..u64::MAX);
    assert!(
        long.iter().all(|g| g.len() == 10_000),
        "{:?}",
        long.iter().map(Vec::len).collect::<Vec<_>>()
    );
}
