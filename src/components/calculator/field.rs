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
            <span class="calc-error" id=error_id role="status" aria-live="polite">{error}</span>
        </label>
    }
}
