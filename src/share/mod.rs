//! Share links and autosave on the page: the state ⇄ the core's wire type
//! ([`scalescope_core::share`]), opening `#…` links, saving every change to localStorage.
//!
//! A fit-only link has no data. The page shows it as the shared laws themselves: the fit
//! table (parameters, standard errors and intervals from the shared covariance), the curves
//! and bands, and the calculator all run on them (`AppState::shared_fits` takes the place of
//! the table's fits); the text area says that the link carries no data and invites a paste,
//! and goodness-of-fit numbers show as "—". Pasting or loading data returns to normal
//! fitting; "restore your previous work" brings back what was there before.

mod autosave;
pub mod browser;
mod saved;

pub use autosave::{current_link, start, ShareCtx};

use crate::plot::spec::XAxis;
use crate::shared::Shared;
use crate::state::AppState;
use leptos::prelude::*;
use scalescope_core::analysis::{Analysis, GroupFit};
use scalescope_core::examples::ExampleId;
use scalescope_core::share::{
    fit_only, shared_fits, Axis, FitOnly, FullState, Link, Target, Theme, View,
};
use scalescope_core::{FitMode, Form, Objective, Points};

impl AppState {
    /// The view choices and calculator inputs as a link carries them.
    pub fn share_view(&self) -> View {
        View {
            x_axis: match self.x_axis.get() {
                XAxis::N => Axis::N,
                XAxis::D => Axis::D,
                XAxis::C => Axis::C,
            },
            target: self.target_loss.get().map(Target::Loss),
            compute_budget: self.compute_budget.get(),
            theme: Some(if self.dark.get() {
                Theme::Dark
            } else {
                Theme::Light
            }),
            overlay: self.overlay.get(),
            backtest: self.backtest_k.get(),
            ..View::default()
        }
    }

    /// The whole work: text, roles, exclusions, fit choices, view.
    pub fn full_state(&self) -> FullState {
        FullState {
            csv: self.csv.get(),
            example: self.example.get().map(|id| id.key().to_string()),
            roles: self.roles.get(),
            excluded: self.excluded.get(),
            form: self.form.get(),
            objective: self.objective.get(),
            mode: FitMode::Default,
            per_group: self.per_group.get(),
            view: self.share_view(),
            fixed: self.fixed.get(),
        }
    }

    /// The fitted laws (groups that could be fitted), named after input `x_name`.
    pub fn fit_only_state(&self, x_name: &str) -> FitOnly {
        let analysis = self.analysis.get();
        let fits = analysis
            .iter()
            .flat_map(|a| a.groups.iter())
            .filter_map(|g| g.fit.as_ref().ok().map(|f| (g.name.as_deref(), f)));
        fit_only(x_name, fits, self.share_view())
    }

    /// Puts a link's state on the page. A full state replaces the text and every choice; a
    /// fit-only state shows the shared laws (see the module docs). Calculator inputs, axis
    /// and theme follow the link.
    pub fn restore(&self, link: Link) {
        self.link_error.set(None);
        match link {
            Link::Full(s) => {
                self.shared_fits.set(None);
                self.file_error.set(None);
                self.roles.set(s.roles);
                self.excluded.set(s.excluded);
                self.show_law(s.form);
                self.fixed.set(s.fixed);
                self.objective.set(s.objective);
                self.per_group.set(s.per_group);
                self.example
                    .set(s.example.as_deref().and_then(ExampleId::from_key));
                self.csv.set(s.csv);
                self.apply_view(&s.view);
                if s.mode == FitMode::Grid {
                    self.link_error.set(Some(
                        "This link asks for the 4500-start grid search, which the page does not \
                         run: the page's default search is shown (`scalescope fit --link` runs \
                         the grid)."
                            .into(),
                    ));
                }
            }
            Link::FitOnly(f) => {
                let fits = shared_fits(&f);
                self.fixed.set(Vec::new());
                if let Some((_, first)) = fits.first() {
                    self.show_law(first.form);
                    let o = first.objective;
                    self.objective
                        .set((o != Objective::default_for(first.form)).then_some(o));
                }
                let groups = fits
                    .into_iter()
                    .map(|(name, fit)| GroupFit {
                        name,
                        points: Points {
                            x: vec![],
                            d: None,
                            y: vec![],
                            weights: None,
                        },
                        lines: vec![],
                        excluded: vec![],
                        fit: Ok(fit),
                    })
                    .collect();
                self.roles.set(Vec::new());
                self.excluded.set(Default::default());
                self.example.set(None);
                self.file_error.set(None);
                self.csv.set(fit_only_text(&f.x_name));
                self.shared_fits.set(Some(Shared::new(Analysis { groups })));
                self.apply_view(&f.view);
            }
        }
    }

    /// Shows `form` as a link's choice: a typed law opens the formula editor on its text.
    fn show_law(&self, form: Form) {
        self.form.set(form);
        self.form_chosen.set(true);
        match form.custom_law() {
            Some(law) => {
                self.custom.set(law.spec().clone());
                self.custom_open.set(true);
            }
            None => self.custom_open.set(false),
        }
    }

    fn apply_view(&self, v: &View) {
        self.x_axis.set(match v.x_axis {
            Axis::N => XAxis::N,
            Axis::D => XAxis::D,
            Axis::C => XAxis::C,
        });
        self.target_loss.set(v.target.map(Target::loss));
        self.compute_budget.set(v.compute_budget);
        if let Some(t) = v.theme {
            self.dark.set(t == Theme::Dark);
        }
        self.overlay.set(v.overlay);
        self.backtest_k.set(v.backtest);
    }

    /// The name of the input the laws are written in.
    pub fn input_name(&self) -> String {
        if self.form.get().two_inputs() {
            "N".into()
        } else {
            self.axis_names.get().0
        }
    }
}

/// The text area's content while a fit-only link is open.
fn fit_only_text(x_name: &str) -> String {
    let x = x_name.replace(['\n', '\r'], " ");
    format!(
        "# This link carries fitted laws only (input: {x}), not their data.\n\
         # Paste or drop a table here to fit your own.\n"
    )
}

/// The input name of an open fit-only link, read back from the text area.
pub fn fit_only_input(csv: &str) -> Option<String> {
    csv.strip_prefix("# This link carries fitted laws only (input: ")
        .and_then(|rest| rest.split_once("), not their data."))
        .map(|(x, _)| x.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Guards against the fit-only note losing the input name on a reload.
    #[test]
    fn fit_only_text_keeps_the_input_name() {
        assert_eq!(
            fit_only_input(&fit_only_text("params")),
            Some("params".into())
        );
        assert_eq!(fit_only_input("N,loss\n"), None);
    }
}
