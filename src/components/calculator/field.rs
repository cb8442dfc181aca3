//! Number fields that edit a numeric signal: the text parses with the core's number rule
//! (`2.1`, `6e23`, `70B`); a bad text shows its message next to the field and leaves the
//! signal — and so every result — as it was.

use leptos::prelude::*;
use scalescope_core::budget::InputError;

/// How one field reads and shows the signal's value (loss and perplexity are two units of
/// the same target).
#[derive(Clone, Copy)]
pub struct Unit {
    /// The field's text → the signal's value.
    pub parse: fn(&str) -> Result<f64, InputError>,
    /// The signal's value → the text shown when the user is not typing in this field.
    pub show: fn(f64) -> String,
    /// Whether an empty field is an error (`false`: empty clears the signal).
    pub required: bool,
}

/// One numeric signal edited by one or more fields.
#[derive(Clone, Copy)]
pub struct Linked {
    /// The value the results use: the last text that parsed.
    pub value: RwSignal<Option<f64>>,
    /// The field being typed in (its index) and its text.
    edit: RwSignal<Option<(usize, String)>>,
}

impl Linked {
    /// Fields over `value`.
    pub fn new(value: RwSignal<Option<f64>>) -> Self {
        Linked {
            value,
            edit: RwSignal::new(None),
        }
    }

    fn parse(unit: &Unit, text: &str) -> Result<Option<f64>, InputError> {
        match (unit.parse)(text) {
            Ok(v) => Ok(Some(v)),
            Err(InputError::Empty) if !unit.required => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The text of field `index`: what the user typed there while it is the current value
    /// (or does not parse); otherwise the value in this field's unit.
    pub fn text(self, index: usize, unit: &Unit) -> String {
        let value = self.value.get();
        let typed = self.edit.with(|e| match e {
            Some((i, t)) if *i == index => match Self::parse(unit, t) {
                Ok(v) if v == value => Some(t.clone()),
                Err(_) => Some(t.clone()),
                Ok(_) => None,
            },
            _ => None,
        });
        typed.unwrap_or_else(|| value.map(unit.show).unwrap_or_default())
    }

    /// The user typed `text` in field `index`: the value changes only when it parses.
    pub fn input(self, index: usize, unit: &Unit, text: String) {
        if let Ok(v) = Self::parse(unit, &text) {
            self.value.set(v);
        }
        self.edit.set(Some((index, text)));
    }

    /// The message for field `index`, when its text does not parse.
    pub fn error(self, index: usize, unit: &Unit) -> Option<String> {
        self.edit.with(|e| match e {
            Some((i, t)) if *i == index => Self::parse(unit, t).err().map(|e| e.to_string()),
            _ => None,
        })
    }

    /// Forgets what was typed, so every field shows the value (after a preset is chosen).
    pub fn reset_text(self) {
        self.edit.set(None);
    }
}

/// A labelled number input bound to field `index` of `linked`, with its message.
#[component]
pub fn NumberField(
    /// The label text.
    #[prop(into)]
    label: Signal<String>,
    /// The input's `data-testid` (also its id).
    testid: &'static str,
    /// The signal the field edits.
    linked: Linked,
    /// Which of the signal's fields this is.
    #[prop(default = 0)]
    index: usize,
    /// How the field reads and shows the value.
    unit: Unit,
    /// Example text shown while the field is empty.
    #[prop(default = "")]
    placeholder: &'static str,
) -> impl IntoView {
    let error_id = format!("{testid}-error");
    let error = move || linked.error(index, &unit);
    view! {
        <label class="calc-field">
            <span class="calc-label">{move || label.get()}</span>
            <input
                type="text"
                inputmode="decimal"
                autocomplete="off"
                spellcheck="false"
                id=testid
                data-testid=testid
                placeholder=placeholder
                aria-invalid=move || if error().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()
                prop:value=move || linked.text(index, &unit)
                on:input=move |ev| linked.input(index, &unit, event_target_value(&ev))
            />
            <span class="calc-error" id=error_id role="status" aria-live="polite">{move || error()}</span>
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalescope_core::budget::parse_positive;

    const LOSS: Unit = Unit {
        parse: |t| parse_positive(t, "target loss"),
        show: |v| format!("{v}"),
        required: false,
    };
    const PPL: Unit = Unit {
        parse: |t| parse_positive(t, "perplexity").map(f64::ln),
        show: |v| format!("{:.3}", v.exp()),
        required: false,
    };
    const MFU: Unit = Unit {
        parse: scalescope_core::budget::parse_percent,
        show: |v| format!("{}", v * 100.0),
        required: true,
    };

    #[test]
    fn both_units_edit_one_value_and_a_typo_keeps_it() {
        let owner = Owner::new();
        owner.set();
        let target = Linked::new(RwSignal::new(None));
        target.input(0, &LOSS, "2".into());
        assert_eq!(target.value.get(), Some(2.0));
        assert_eq!(target.text(0, &LOSS), "2");
        assert_eq!(target.text(1, &PPL), "7.389", "the other field shows e^2");
        // Guards against a typo wiping the results: the value stays, the field keeps the text.
        target.input(0, &LOSS, "2x".into());
        assert_eq!(target.value.get(), Some(2.0));
        assert_eq!(target.text(0, &LOSS), "2x");
        assert!(target
            .error(0, &LOSS)
            .is_some_and(|e| e.contains("not a number")));
        assert_eq!(
            target.error(1, &PPL),
            None,
            "the message is next to its own field"
        );
        // Typing a perplexity converts; the loss field follows.
        target.input(1, &PPL, "20".into());
        assert_eq!(target.value.get(), Some(20f64.ln()));
        assert_eq!(target.text(1, &PPL), "20");
        assert_eq!(target.text(0, &LOSS), format!("{}", 20f64.ln()));
        // Emptying an optional field clears the value (and the target on the plot).
        target.input(1, &PPL, " ".into());
        assert_eq!(target.value.get(), None);
        assert_eq!(target.text(0, &LOSS), "");
    }

    #[test]
    fn an_outside_change_shows_in_the_field() {
        let owner = Owner::new();
        owner.set();
        let budget = Linked::new(RwSignal::new(None));
        budget.input(0, &LOSS, "3".into());
        // E.g. a share link restores another value: the field must not keep stale text.
        budget.value.set(Some(5.0));
        assert_eq!(budget.text(0, &LOSS), "5");
    }

    #[test]
    fn a_required_field_refuses_empty() {
        let owner = Owner::new();
        owner.set();
        let mfu = Linked::new(RwSignal::new(Some(0.4)));
        assert_eq!(mfu.text(0, &MFU), "40");
        mfu.input(0, &MFU, String::new());
        assert_eq!(mfu.value.get(), Some(0.4));
        assert_eq!(mfu.error(0, &MFU).as_deref(), Some("enter a number"));
        mfu.input(0, &MFU, "55 %".into());
        assert_eq!(mfu.value.get(), Some(0.55));
        mfu.reset_text();
        assert_eq!(mfu.text(0, &MFU), format!("{}", 0.55 * 100.0));
    }
}
