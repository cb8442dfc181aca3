//! The bootstrap pool: a bootstrap's resamples refitted by a pool of Web Workers.
//!
//! Each worker runs the page's wasm ([`crate::engine::spawn_worker`], the same session the
//! engine's worker runs) and answers [`Request::Bootstrap`] chunks: the job crosses once
//! per worker, then only index ranges. Resample `i` depends only on the seed and `i`
//! ([`scalescope_core::bootstrap`]), so the pool's answer equals the CLI's
//! `fit --bootstrap B --seed S`, whatever the number of workers or the order chunks finish
//! in. After every chunk the refits received so far are summarised (a few sorts of at most
//! 10⁴ numbers per parameter, well under the 50 ms a main-thread task may take), so the
//! intervals fill in as resamples finish. Where no worker starts, the chunks run inline, one
//! per task.

use crate::engine::spawn_worker;
use crate::shared::Shared;
use js_sys::{Array, Uint8Array};
use scalescope_core::analysis::Analysis;
use scalescope_core::bootstrap::{summarise, Bootstrap, BootstrapError, Targets};
use scalescope_core::job::{decode_response, encode_request, Job, Request, Response, Session};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

/// Resamples per chunk: small enough that intervals fill in steadily (and that an inline
/// chunk stays a short task), large enough that messages are few.
const CHUNK: u64 = 20;

/// Where a bootstrap stands: what the page shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// Resamples refitted (or failed) so far.
    pub done: u64,
    /// Resamples asked for.
    pub total: u64,
    /// Per group of the analysis: the summary of the refits so far (`None` for a group
    /// without a fit).
    pub groups: Vec<Option<Result<Bootstrap, BootstrapError>>>,
    /// The user stopped it before every resample was in.
    pub cancelled: bool,
}

impl Progress {
    /// Whether it has stopped: every resample is in, or it was cancelled.
    pub fn finished(&self) -> bool {
        self.done >= self.total || self.cancelled
    }
}

/// One worker of the pool.
struct Slot {
    worker: Worker,
    /// It has been sent the job (later chunks go without it).
    has_job: bool,
}

struct Inner {
    job: Job,
    analysis: Shared<Analysis>,
    seed: u64,
    total: u64,
    /// The next resample to hand out.
    next: u64,
    /// Which resamples are back.
    received: Vec<bool>,
    /// Per group, per resample: `None` until its chunk is back.
    refits: Vec<Vec<Option<Option<Vec<f64>>>>>,
    workers: Vec<Slot>,
    /// The inline session when no worker started (and whether it has the job).
    inline: Option<(Session, bool)>,
    on_progress: Rc<dyn Fn(Progress)>,
    stopped: bool,
}

/// A running bootstrap (main thread only). Dropping it does not stop it: call
/// [`Pool::cancel`].
#[derive(Clone)]
pub struct Pool(Rc<RefCell<Inner>>);

impl Pool {
    /// Starts `resamples` resamples of `analysis` (the answer to `job`) under `seed` on
    /// `workers` workers; `on_progress` hears after every chunk.
    pub fn start(
        job: Job,
        analysis: Shared<Analysis>,
        resamples: u64,
        seed: u64,
        workers: usize,
        on_progress: impl Fn(Progress) + 'static,
    ) -> Pool {
        let refits = analysis
            .groups
            .iter()
            .map(|_| vec![None; resamples as usize])
            .collect();
        let pool = Pool(Rc::new(RefCell::new(Inner {
            job,
            analysis,
            seed,
            total: resamples,
            next: 0,
            received: vec![false; resamples as usize],
            refits,
            workers: Vec::new(),
            inline: None,
            on_progress: Rc::new(on_progress),
            stopped: false,
        })));
        let spawned: Vec<Worker> = (0..workers.max(1)).filter_map(|_| spawn_worker()).collect();
        if spawned.is_empty() {
            pool.0.borrow_mut().inline = Some((Session::new(), false));
            pool.inline_step();
        } else {
            for worker in spawned {
                pool.attach(worker);
            }
        }
        pool
    }

    /// Stops the bootstrap: the workers are terminated, nothing more is reported.
    pub fn cancel(&self) {
        let mut inner = self.0.borrow_mut();
        inner.stopped = true;
        for slot in inner.workers.drain(..) {
            slot.worker.terminate();
        }
    }

    fn attach(&self, worker: Worker) {
        let index = self.0.borrow().workers.len();
        let me = self.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            me.receive(index, ev.data());
        })
        .into_js_value();
        let me = self.clone();
        let on_error =
            Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| me.fail(index)).into_js_value();
        worker.set_onmessage(Some(on_message.unchecked_ref()));
        worker.set_onerror(Some(on_error.unchecked_ref()));
        self.0.borrow_mut().workers.push(Slot {
            worker,
            has_job: false,
        });
    }

    /// The next chunk's range, if any is left.
    fn take_chunk(inner: &mut Inner) -> Option<std::ops::Range<u64>> {
        (inner.next < inner.total && !inner.stopped).then(|| {
            let start = inner.next;
            inner.next = (start + CHUNK).min(inner.total);
            start..inner.next
        })
    }

    /// Sends worker `index` its next chunk (with the job the first time).
    fn feed(&self, index: usize) {
        let (worker, request) = {
            let mut inner = self.0.borrow_mut();
            let Some(range) = Self::take_chunk(&mut inner) else {
                // Nothing left for this worker: free its memory.
                if let Some(slot) = inner.workers.get(index) {
                    slot.worker.terminate();
                }
                return;
            };
            let seed = inner.seed;
            let job = inner.job.clone();
            let Some(slot) = inner.workers.get_mut(index) else {
                return;
            };
            let job = (!slot.has_job).then_some(job);
            slot.has_job = true;
            let request = Request::Bootstrap {
                id: index as u64,
                job,
                seed,
                range,
            };
            (slot.worker.clone(), request)
        };
        let bytes = encode_request(&request);
        let array = Uint8Array::from(bytes.as_slice());
        if worker
            .post_message_with_transfer(&array, &Array::of1(&array.buffer()))
            .is_err()
        {
            self.fail(index);
        }
    }

    fn receive(&self, index: usize, data: JsValue) {
        if data.as_string().is_some() {
            // The worker listens ("ready").
            return self.feed(index);
        }
        let Some(bytes) = data.dyn_ref::<Uint8Array>().map(Uint8Array::to_vec) else {
            return self.fail(index);
        };
        match decode_response(&bytes) {
            Ok(Response::Resampled { start, groups, .. }) => {
                self.record(start, groups);
                self.feed(index);
            }
            _ => self.fail(index),
        }
    }

    /// Puts a chunk's refits in place and reports.
    fn record(&self, start: u64, groups: Vec<Vec<Option<Vec<f64>>>>) {
        let progress = {
            let mut inner = self.0.borrow_mut();
            if inner.stopped {
                return;
            }
            for (slots, refits) in inner.refits.iter_mut().zip(&groups) {
                for (k, p) in refits.iter().enumerate() {
                    if let Some(slot) = slots.get_mut(start as usize + k) {
                        *slot = Some(p.clone());
                    }
                }
            }
            // Every chunk is `CHUNK` long but the last (a group without a fit has none).
            let end = (start + CHUNK).min(inner.total) as usize;
            for r in inner.received.iter_mut().take(end).skip(start as usize) {
                *r = true;
            }
            summary(&inner)
        };
        let on_progress = Rc::clone(&self.0.borrow().on_progress);
        on_progress(progress);
    }

    /// A worker failed: its chunk is lost, so the rest runs inline from here.
    fn fail(&self, index: usize) {
        let restart = {
            let mut inner = self.0.borrow_mut();
            for slot in inner.workers.drain(..) {
                slot.worker.terminate();
            }
            web_sys::console::warn_1(
                &format!("Scalescope: bootstrap worker {index} failed; refitting on the page")
                    .into(),
            );
            // Hand out again every resample not yet back.
            let first_missing = inner.received.iter().position(|r| !r);
            inner.next = first_missing.map_or(inner.total, |i| i as u64);
            let restart = inner.inline.is_none() && !inner.stopped;
            inner.inline.get_or_insert_with(|| (Session::new(), false));
            restart
        };
        if restart {
            self.inline_step();
        }
    }

    /// One chunk inline, then the next in a new task (the page stays responsive).
    fn inline_step(&self) {
        let step = {
            let mut inner = self.0.borrow_mut();
            let Some(range) = Self::take_chunk(&mut inner) else {
                return;
            };
            let (job, seed) = (inner.job.clone(), inner.seed);
            let Some((session, has_job)) = inner.inline.as_mut() else {
                return;
            };
            let job = (!*has_job).then_some(job);
            *has_job = true;
            let groups = session.resample(job, seed, range.clone());
            (range.start, groups)
        };
        self.record(step.0, step.1);
        let me = self.clone();
        leptos::prelude::set_timeout(move || me.inline_step(), std::time::Duration::ZERO);
    }
}

/// The summaries of the refits received so far, in resample order.
fn summary(inner: &Inner) -> Progress {
    let targets = Targets::default();
    let groups = inner
        .analysis
        .groups
        .iter()
        .zip(&inner.refits)
        .map(|(g, refits)| {
            let full = g.fit.as_ref().ok()?;
            let received: Vec<Option<Vec<f64>>> = refits.iter().flatten().cloned().collect();
            Some(summarise(full, &received, &targets))
        })
        .collect();
    Progress {
        done: inner.received.iter().filter(|r| **r).count() as u64,
        total: inner.total,
        groups,
        cancelled: false,
    }
}
