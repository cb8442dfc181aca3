//! The first role assignment: header guesses, the user's choices, then position.

use super::{Cell, ColumnRef, ReadError, Role, Table, Warning};

/// Roles that exclude each other's guesses: choosing one of a class drops guessed roles of
/// that class elsewhere.
fn class(role: Role) -> u8 {
    match role {
        Role::X | Role::N | Role::D | Role::C => 0,
        Role::Loss | Role::Perplexity => 1,
        Role::Group => 2,
        Role::Weight => 3,
        Role::Ignore => 4,
    }
}

/// Assign a role to every column of `table` (whose roles are not set yet).
pub(crate) fn assign_roles(
    table: &Table,
    chosen: &[(ColumnRef, Role)],
) -> Result<(Vec<Role>, Vec<Warning>), ReadError> {
    let width = table.width();
    let mut explicit: Vec<Option<Role>> = vec![None; width];
    for (column, role) in chosen {
        let j = resolve(table, column)?;
        explicit[j] = Some(*role);
    }
    let chosen_classes: Vec<u8> = explicit.iter().flatten().map(|&r| class(r)).collect();
    let mut warnings = Vec::new();
    let mut roles: Vec<Role> = vec![Role::Ignore; width];
    let mut kept: Vec<(Role, usize)> = Vec::new();
    // Header guesses, first column wins per role (loss and perplexity count as one).
    for j in 0..width {
        if explicit[j].is_some() || !table.has_header || table.generated[j] {
            continue;
        }
        let Some(role) = Role::guess(&table.headers[j]) else {
            continue;
        };
        if chosen_classes.contains(&class(role)) {
            continue;
        }
        // The columns that kept a guessed role so far: at most one per role, so this stays
        // linear in the number of columns even for a header of a million `loss`es.
        let clash = |&&(r, _): &&(Role, usize)| r == role || (role.is_y() && r.is_y());
        if let Some(&(kept_role, k)) = kept.iter().find(clash) {
            warnings.push(Warning::DuplicateRole {
                role: kept_role,
                kept: table.label(k),
                ignored: table.label(j),
            });
            continue;
        }
        kept.push((role, j));
        roles[j] = role;
    }
    // x does not combine with N, D, C: prefer the named quantities.
    if roles
        .iter()
        .any(|r| matches!(r, Role::N | Role::D | Role::C))
    {
        if let Some(x) = roles.iter().position(|&r| r == Role::X) {
            roles[x] = Role::Ignore;
        }
    }
    for j in 0..width {
        if let Some(role) = explicit[j] {
            roles[j] = role;
        }
    }
    // By position, for what no header named and the user did not choose.
    let free = |roles: &[Role], j: usize| explicit[j].is_none() && roles[j] == Role::Ignore;
    if !roles.iter().any(|r| r.is_y()) && !chosen_classes.contains(&1) {
        if let Some(j) = (0..width)
            .rev()
            .find(|&j| free(&roles, j) && numeric(table, j))
        {
            roles[j] = Role::Loss;
            warnings.push(Warning::RoleByPosition {
                role: Role::Loss,
                column: table.label(j),
            });
        }
    }
    if !roles.iter().any(|r| r.is_input()) && !chosen_classes.contains(&0) {
        if let Some(j) = (0..width).find(|&j| free(&roles, j) && numeric(table, j)) {
            roles[j] = Role::X;
            warnings.push(Warning::RoleByPosition {
                role: Role::X,
                column: table.label(j),
            });
        }
    }
    if !table.has_header && !roles.contains(&Role::Group) && !chosen_classes.contains(&2) {
        if let Some(j) = (0..width).find(|&j| free(&roles, j) && textual(table, j)) {
            roles[j] = Role::Group;
            warnings.push(Warning::RoleByPosition {
                role: Role::Group,
                column: table.label(j),
            });
        }
    }
    Ok((roles, warnings))
}

/// The column a [`ColumnRef`] names.
fn resolve(table: &Table, column: &ColumnRef) -> Result<usize, ReadError> {
    let found = match column {
        ColumnRef::Index(i) => (*i < table.width()).then_some(*i),
        ColumnRef::Name(name) => table
            .headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name.trim())),
    };
    found.ok_or_else(|| ReadError::UnknownColumn {
        column: column.to_string(),
        available: table.headers.join(", "),
    })
}

/// How many leading rows the positional guesses look at.
const SAMPLE: usize = 100;

fn sample(table: &Table, j: usize) -> impl Iterator<Item = &Cell> {
    (0..table.len().min(SAMPLE))
        .map(move |r| table.cell(r, j))
        .filter(|c| !c.is_empty())
}

/// Most non-empty cells of the first rows are numbers.
fn numeric(table: &Table, j: usize) -> bool {
    let (numbers, all) = sample(table, j).fold((0, 0), |(n, a), c| {
        (n + usize::from(c.as_number().is_some()), a + 1)
    });
    all > 0 && numbers * 2 > all
}

/// Most non-empty cells of the first rows are text.
fn textual(table: &Table, j: usize) -> bool {
    let (texts, all) = sample(table, j).fold((0, 0), |(n, a), c| {
        (n + usize::from(matches!(c, Cell::Text(_))), a + 1)
    });
    all > 0 && texts * 2 > all
}
