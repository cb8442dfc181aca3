//! The chart: what to draw ([`spec`]), where the ticks go ([`ticks`]) and how to draw it
//! on any plotters backend ([`draw`]), and the same as a table ([`table`]).

pub mod backend;
pub mod draw;
pub mod residuals;
pub mod spec;
pub mod table;
pub mod ticks;
