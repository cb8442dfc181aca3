//! The body of a link, field by field. Every enum has an explicit tag table here, so
//! renaming or reordering a Rust variant cannot change what a link means.

use super::bytes::{Reader, Writer};
use super::wire::{Axis, FitOnly, FullState, Link, SharedFit, Target, Theme, View};
use super::ShareError;
use crate::presets::PresetId;
use crate::table::Role;
use crate::{FitMode, Form, Lines, Objective, Termination};

/// Column indices above this are refused (no table is that wide; keeps forged links small).
const MAX_COLUMN: usize = 1 << 20;

/// Law tags (links and worker messages): the registry's order, which only grows at the end.
pub(crate) const FORMS: [Form; Form::ALL.len()] = Form::ALL;
/// Column-role tags (links and worker messages). Not `Role::ALL`: that is menu order, and a
/// menu change must not change what a link means.
pub(crate) const ROLES: [Role; 9] = [
    Role::X,
    Role::N,
    Role::D,
    Role::C,
    Role::Loss,
    Role::Perplexity,
    Role::Group,
    Role::Weight,
    Role::Ignore,
];

/// x-axis tags.
const AXES: [Axis; 3] = [Axis::N, Axis::D, Axis::C];
/// Theme tags (`None`: follow the system).
const THEMES: [Option<Theme>; 3] = [None, Some(Theme::Light), Some(Theme::Dark)];

/// The tag of a custom law, one past the registry: the spec (formula, starts, positive
/// parameters) follows it (links from format 4, worker messages from format 3).
pub(crate) const CUSTOM_TAG: u8 = FORMS.len() as u8;

/// A law: its registry tag, or [`CUSTOM_TAG`] and the formula with its starts and positive
/// parameters.
pub(crate) fn write_form(w: &mut Writer, form: Form) {
    match form.custom_law() {
        None => w.u8(tag_of(&FORMS, &form)),
        Some(law) => {
            let spec = law.spec();
            w.u8(CUSTOM_TAG);
            w.str(&spec.text);
            w.usize(spec.starts.len());
            for (name, value) in &spec.starts {
                w.str(name);
                w.f64(*value);
            }
            w.usize(spec.positive.len());
            for name in &spec.positive {
                w.str(name);
            }
        }
    }
}

/// A law written by [`write_form`]; `custom` says whether the format has custom laws. A
/// formula that does not make a law (a forged link) is [`ShareError::Invalid`].
pub(crate) fn read_form(r: &mut Reader<'_>, custom: bool) -> Form {
    let n = FORMS.len() as u8 + u8::from(custom);
    let tag = r.tag(n, "unknown form");
    if tag != CUSTOM_TAG {
        return FORMS[usize::from(tag)];
    }
    let text = r.str();
    let n_starts = r.count(9);
    let starts = (0..n_starts).map(|_| (r.str(), r.f64())).collect();
    let n_positive = r.count(1);
    let positive = (0..n_positive).map(|_| r.str()).collect();
    if !r.ok() {
        return Form::Saturating;
    }
    let spec = crate::laws::custom::CustomSpec {
        text,
        starts,
        positive,
    };
    Form::custom(&spec).unwrap_or_else(|_| {
        r.fail(ShareError::Invalid(
            "the link's formula does not make a law",
        ));
        Form::Saturating
    })
}

/// The tag of `v` in `table`.
pub(crate) fn tag_of<T: PartialEq>(table: &[T], v: &T) -> u8 {
    table.iter().position(|t| t == v).unwrap_or(0) as u8
}

/// The value of a tag read from `r` in `table`; `what` is the problem for a tag past it.
fn from_tag<T: Copy>(r: &mut Reader<'_>, table: &[T], what: &'static str) -> T {
    table[usize::from(r.tag(table.len() as u8, what))]
}

/// Writes the body of `link` (kind byte first).
pub(crate) fn write(link: &Link) -> Vec<u8> {
    let mut w = Writer::default();
    match link {
        Link::Full(s) => {
            w.u8(0);
            full(&mut w, s);
        }
        Link::FitOnly(f) => {
            w.u8(1);
            fit_only(&mut w, f);
        }
    }
    w.out
}

/// Reads a body of format `version` (1 or the current one); trailing bytes are an error.
/// Version 1 had no pinned parameters.
pub(crate) fn read(bytes: &[u8], version: u8) -> Result<Link, ShareError> {
    let mut r = Reader::new(bytes);
    let link = match r.tag(2, "unknown kind of link") {
        0 => Link::Full(read_full(&mut r, version)),
        _ => Link::FitOnly(read_fit_only(&mut r, version)),
    };
    r.finish()?;
    if r.remaining() != 0 {
        return Err(ShareError::Corrupted("bytes after the end of the state"));
    }
    Ok(link)
}

fn full(w: &mut Writer, s: &FullState) {
    w.str(&s.csv);
    w.opt_str(s.example.as_deref());
    w.usize(s.roles.len());
    for (col, role) in &s.roles {
        w.usize(*col);
        w.u8(tag_of(&ROLES, role));
    }
    // Sorted lines as gaps: small numbers, one byte each for nearby lines.
    w.usize(s.excluded.len());
    let mut prev = 0;
    for line in &s.excluded {
        w.usize(line - prev);
        prev = line;
    }
    fit_choices(w, s.form, s.objective, s.mode, s.per_group);
    view(w, &s.view);
    pins(w, &s.fixed);
}

/// Pinned parameters: a count, then each name and value.
pub(crate) fn pins(w: &mut Writer, fixed: &[(String, f64)]) {
    w.usize(fixed.len());
    for (name, value) in fixed {
        w.str(name);
        w.f64(*value);
    }
}

/// Pins written by [`pins`]: at most one per parameter of the largest law.
fn read_pins(r: &mut Reader<'_>) -> Vec<(String, f64)> {
    let n = r.count(9);
    if n > MAX_PINS {
        r.fail(ShareError::Invalid("too many pinned parameters"));
        return Vec::new();
    }
    (0..n)
        .map(|_| {
            let name = r.str();
            let value = r.f64();
            if !value.is_finite() {
                r.fail(ShareError::Invalid("a pinned value is not a finite number"));
            }
            (name, value)
        })
        .collect()
}

/// No law has more parameters than this.
const MAX_PINS: usize = 64;

fn read_full(r: &mut Reader<'_>, version: u8) -> FullState {
    let csv = r.str();
    let example = r.opt_str();
    let n_roles = r.count(2);
    let mut roles = Vec::with_capacity(n_roles);
    for _ in 0..n_roles {
        let col = r.usize();
        if col > MAX_COLUMN {
            r.fail(ShareError::Invalid("a column number is out of range"));
        }
        roles.push((col, from_tag(r, &ROLES, "unknown column role")));
    }
    let n_excluded = r.count(1);
    let mut excluded = Lines::new();
    let mut line = 0usize;
    for i in 0..n_excluded {
        let gap = r.usize();
        if gap == 0 && i > 0 {
            r.fail(ShareError::Corrupted("an excluded line is repeated"));
        }
        line = line.checked_add(gap).unwrap_or_else(|| {
            r.fail(ShareError::Corrupted("a line number overflows"));
            0
        });
        excluded.insert(line);
    }
    FullState {
        csv,
        example,
        roles,
        excluded,
        form: read_form(r, version >= 4),
        objective: r.bool().then(|| read_objective(r)),
        mode: match r.tag(2, "unknown fit mode") {
            0 => FitMode::Default,
            _ => FitMode::Grid,
        },
        per_group: r.bool(),
        view: read_view(r, version),
        fixed: if version >= 2 {
            read_pins(r)
        } else {
            Vec::new()
        },
    }
}

fn fit_only(w: &mut Writer, f: &FitOnly) {
    w.str(&f.x_name);
    w.usize(f.fits.len());
    for fit in &f.fits {
        w.opt_str(fit.group.as_deref());
        write_form(w, fit.form);
        objective(w, fit.objective);
        for &p in &fit.params {
            w.f64(p);
        }
        match &fit.covariance {
            None => w.u8(0),
            Some(c) => {
                w.u8(1);
                for &v in c {
                    w.f64(v);
                }
            }
        }
        w.usize(fit.n);
        w.usize(fit.dof);
        for &p in &fit.pinned {
            w.bool(p);
        }
        match &fit.termination {
            None => w.u8(0),
            Some(t) => {
                w.u8(1);
                termination(w, t);
            }
        }
        w.usize(fit.warnings.len());
        for warning in &fit.warnings {
            w.str(warning);
        }
    }
    view(w, &f.view);
}

/// Why an optimiser stopped ([`crate::termination::Parts`]), the text as its index in
/// [`crate::termination::KNOWN_TEXTS`] (a text outside it as the index past the end).
fn termination(w: &mut Writer, t: &Termination) {
    let parts = t.parts();
    w.u8(parts.tag);
    if let Some(text) = parts.text {
        termination_text(w, text);
    }
    if let Some(iterations) = parts.iterations {
        w.usize(iterations);
    }
}

fn termination_text(w: &mut Writer, text: &str) {
    let known = &crate::termination::KNOWN_TEXTS;
    w.u8(known.iter().position(|k| *k == text).unwrap_or(known.len()) as u8);
}

/// The text of a stopping test or failure: one of the solvers' own, else (the index past
/// the end, or one a newer version added) a fixed stand-in.
fn read_termination_text(r: &mut Reader<'_>) -> &'static str {
    let known = &crate::termination::KNOWN_TEXTS;
    known
        .get(usize::from(r.u8()))
        .copied()
        .unwrap_or("a test this version does not name")
}

fn read_termination(r: &mut Reader<'_>) -> Termination {
    let tag = r.tag(crate::termination::TAGS, "unknown optimiser status");
    let (has_text, has_iterations) = Termination::fields_of(tag);
    let text = if has_text {
        read_termination_text(r)
    } else {
        ""
    };
    let iterations = if has_iterations { r.usize() } else { 0 };
    Termination::from_parts(tag, text, iterations)
}

fn read_fit_only(r: &mut Reader<'_>, version: u8) -> FitOnly {
    let x_name = r.str();
    let n_fits = r.count(20);
    let mut fits = Vec::with_capacity(n_fits);
    for _ in 0..n_fits {
        let group = r.opt_str();
        let form = read_form(r, version >= 4);
        let objective = read_objective(r);
        let k = form.n_params();
        let params = (0..k).map(|_| r.f64()).collect();
        let covariance = r
            .bool()
            .then(|| (0..k * (k + 1) / 2).map(|_| r.f64()).collect());
        let n = r.usize();
        let dof = r.usize();
        if dof > n {
            r.fail(ShareError::Invalid("more degrees of freedom than points"));
        }
        let pinned = if version >= 2 {
            (0..k).map(|_| r.bool()).collect()
        } else {
            vec![false; k]
        };
        let (termination, warnings) = if version >= 3 {
            let termination = r.bool().then(|| read_termination(r));
            let n_warnings = r.count(1);
            (termination, (0..n_warnings).map(|_| r.str()).collect())
        } else {
            (None, Vec::new())
        };
        fits.push(SharedFit {
            group,
            form,
            objective,
            params,
            covariance,
            n,
            dof,
            pinned,
            termination,
            warnings,
        });
    }
    FitOnly {
        x_name,
        fits,
        view: read_view(r, version),
    }
}

/// The fit choices: form, objective (optional), mode, per group. Links and worker messages
/// (`crate::job`) write them alike.
pub(crate) fn fit_choices(
    w: &mut Writer,
    form: Form,
    objective_choice: Option<Objective>,
    mode: FitMode,
    per_group: bool,
) {
    write_form(w, form);
    match objective_choice {
        None => w.u8(0),
        Some(o) => {
            w.u8(1);
            objective(w, o);
        }
    }
    w.u8(match mode {
        FitMode::Default => 0,
        FitMode::Grid => 1,
    });
    w.bool(per_group);
}

/// An objective: a tag (0 ls, 1 ls-log, 2 huber, 3 huber-log, 4 asym-log) and Huber's δ or
/// the envelope's λ. The job wire
/// format (`crate::job`) writes objectives with this too.
pub(crate) fn objective(w: &mut Writer, o: Objective) {
    match o {
        Objective::Ls => w.u8(0),
        Objective::LsLog => w.u8(1),
        Objective::Huber { delta } => {
            w.u8(2);
            w.f64(delta);
        }
        Objective::HuberLog { delta } => {
            w.u8(3);
            w.f64(delta);
        }
        Objective::AsymLog { lambda } => {
            w.u8(4);
            w.f64(lambda);
        }
    }
}

fn read_objective(r: &mut Reader<'_>) -> Objective {
    const DELTA: &str = "the Huber threshold must be a positive number";
    match r.tag(5, "unknown objective") {
        0 => Objective::Ls,
        1 => Objective::LsLog,
        2 => Objective::Huber {
            delta: positive(r, DELTA),
        },
        3 => Objective::HuberLog {
            delta: positive(r, DELTA),
        },
        _ => {
            let lambda = r.f64();
            if !(lambda.is_finite() && lambda >= 1.0) {
                r.fail(ShareError::Invalid(
                    "the weight of points below the curve must be at least 1",
                ));
            }
            Objective::AsymLog { lambda }
        }
    }
}

fn view(w: &mut Writer, v: &View) {
    w.u8(tag_of(&AXES, &v.x_axis));
    match v.target {
        None => w.u8(0),
        Some(Target::Loss(l)) => {
            w.u8(1);
            w.f64(l);
        }
        Some(Target::Perplexity(p)) => {
            w.u8(2);
            w.f64(p);
        }
    }
    w.opt_f64(v.compute_budget);
    w.u8(tag_of(&THEMES, &v.theme));
    // Format 5: the analyses.
    w.opt_str(v.overlay.map(PresetId::key));
    match v.backtest {
        None => w.u8(0),
        Some(k) => {
            w.u8(1);
            w.usize(k);
        }
    }
    w.usize(v.shared.len());
    for name in &v.shared {
        w.str(name);
    }
    match &v.compare {
        None => w.u8(0),
        Some((baseline, other)) => {
            w.u8(1);
            w.str(baseline);
            w.str(other);
        }
    }
}

/// At most this many scales are held out by a link's backtest.
const MAX_HELD_OUT: usize = 1_000;

fn read_view(r: &mut Reader<'_>, version: u8) -> View {
    const TARGET: &str = "the target must be a positive number";
    let mut view = View {
        x_axis: from_tag(r, &AXES, "unknown x axis"),
        target: match r.tag(3, "unknown kind of target") {
            0 => None,
            1 => Some(Target::Loss(positive(r, TARGET))),
            _ => Some(Target::Perplexity(positive(r, TARGET))),
        },
        compute_budget: r
            .bool()
            .then(|| positive(r, "the compute budget must be a positive number")),
        theme: from_tag(r, &THEMES, "unknown theme"),
        ..View::default()
    };
    if version >= 5 {
        view.overlay = r.opt_str().map(|key| {
            PresetId::from_key(&key).unwrap_or_else(|| {
                r.fail(ShareError::Invalid("unknown published law"));
                PresetId::ALL[0]
            })
        });
        view.backtest = r.bool().then(|| {
            let k = r.usize();
            if k == 0 || k > MAX_HELD_OUT {
                r.fail(ShareError::Invalid(
                    "the backtest holds out 1 to 1000 scales",
                ));
            }
            k
        });
        let n = r.count(1);
        if n > MAX_PINS {
            r.fail(ShareError::Invalid("too many shared parameters"));
        } else {
            view.shared = (0..n).map(|_| r.str()).collect();
        }
        view.compare = r.bool().then(|| (r.str(), r.str()));
    }
    view
}

/// A number read from `r` that must be finite and positive; `what` is the problem if not.
fn positive(r: &mut Reader<'_>, what: &'static str) -> f64 {
    let v = r.f64();
    if !(v.is_finite() && v > 0.0) {
        r.fail(ShareError::Invalid(what));
    }
    v
}
