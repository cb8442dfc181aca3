//! Pinned parameters: a model seen through its free parameters only, the pinned ones held
//! at their values.

use crate::solve::ResidualModel;
use nalgebra::DMatrix;
use std::cell::RefCell;

/// Which parameters are held, and at what: `values[k]` is `Some(v)` for a pinned parameter.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Pins {
    values: Vec<Option<f64>>,
    free: Vec<usize>,
}

impl Pins {
    /// Pins from one optional value per parameter.
    pub fn new(values: Vec<Option<f64>>) -> Self {
        let free = (0..values.len()).filter(|&k| values[k].is_none()).collect();
        Pins { values, free }
    }

    /// Whether any parameter is pinned.
    pub fn any(&self) -> bool {
        self.free.len() < self.values.len()
    }

    /// Indices of the free parameters.
    pub fn free(&self) -> &[usize] {
        &self.free
    }

    /// Whether parameter `k` is pinned.
    pub fn is_pinned(&self, k: usize) -> bool {
        self.values.get(k).is_some_and(Option::is_some)
    }

    /// `full` with the pinned values put in.
    pub fn apply(&self, full: &[f64]) -> Vec<f64> {
        full.iter()
            .zip(&self.values)
            .map(|(v, pin)| pin.unwrap_or(*v))
            .collect()
    }

    /// The full parameter vector from the free ones.
    pub fn expand(&self, free: &[f64]) -> Vec<f64> {
        let mut full: Vec<f64> = self.values.iter().map(|v| v.unwrap_or(0.0)).collect();
        for (slot, v) in self.free.iter().zip(free) {
            full[*slot] = *v;
        }
        full
    }

    /// The free parameters of a full vector.
    pub fn restrict(&self, full: &[f64]) -> Vec<f64> {
        self.free.iter().map(|&k| full[k]).collect()
    }
}

/// `model` as a function of its free parameters.
pub(crate) struct Pinned<'a, M: ?Sized> {
    model: &'a M,
    pins: &'a Pins,
    jac: RefCell<DMatrix<f64>>,
}

impl<'a, M: ResidualModel + ?Sized> Pinned<'a, M> {
    /// Hold `pins` in `model`.
    pub fn new(model: &'a M, pins: &'a Pins) -> Self {
        Pinned {
            model,
            pins,
            // Only needed when something is pinned (a 10⁵-point fit without pins
            // should not allocate it).
            jac: RefCell::new(if pins.any() {
                DMatrix::zeros(model.n_residuals(), model.n_params())
            } else {
                DMatrix::zeros(0, 0)
            }),
        }
    }
}

impl<M: ResidualModel + ?Sized> ResidualModel for Pinned<'_, M> {
    fn n_params(&self) -> usize {
        self.pins.free().len()
    }
    fn n_residuals(&self) -> usize {
        self.model.n_residuals()
    }
    fn residuals(&self, p: &[f64], r: &mut [f64]) {
        self.model.residuals(&self.pins.expand(p), r);
    }
    fn jacobian(&self, p: &[f64], j: &mut DMatrix<f64>) {
        if !self.pins.any() {
            return self.model.jacobian(p, j);
        }
        let mut full = self.jac.borrow_mut();
        self.model.jacobian(&self.pins.expand(p), &mut full);
        for (c, &k) in self.pins.free().iter().enumerate() {
            j.set_column(c, &full.column(k));
        }
    }
    fn residuals_and_jacobian(&self, p: &[f64], r: &mut [f64], j: &mut DMatrix<f64>) {
        if !self.pins.any() {
            return self.model.residuals_and_jacobian(p, r, j);
        }
        let mut full = self.jac.borrow_mut();
        self.model
            .residuals_and_jacobian(&self.pins.expand(p), r, &mut full);
        for (c, &k) in self.pins.free().iter().enumerate() {
            j.set_column(c, &full.column(k));
        }
    }
    fn add_residual_hessians(&self, p: &[f64], c: &[f64], h: &mut DMatrix<f64>) -> bool {
        let k = self.model.n_params();
        let mut inner = DMatrix::zeros(k, k);
        if !self
            .model
            .add_residual_hessians(&self.pins.expand(p), c, &mut inner)
        {
            return false;
        }
        let free = self.pins.free();
        for (a, &fa) in free.iter().enumerate() {
            for (b, &fb) in free.iter().enumerate() {
                h[(a, b)] += inner[(fa, fb)];
            }
        }
        true
    }
}
