//! The engine: reading and fitting off the main thread.
//!
//! The page runs its one wasm twice: in the window, where it draws the UI, and in a
//! dedicated module Web Worker, where [`scalescope_core::job::Session`] reads the text and
//! fits it. Requests and answers cross as bytes of the core's job wire format
//! ([`scalescope_core::job::encode_request`] …), transferred, not copied. So a paste of 10⁵
//! rows keeps the page responsive while the worker reads and fits, and the download is the
//! same wasm the page already has (no second binary against the size budget).
//!
//! Where no worker can start (the wasm-bindgen test runner, a `file://` page, a browser
//! without module workers) or a worker fails, the engine runs the same session inline:
//! same code, same numbers, only on the main thread. Answers to superseded requests are
//! dropped; only the newest analysis is shown.

use js_sys::{Array, Uint8Array};
use scalescope_core::job::{
    decode_request, decode_response, encode_request, encode_response, Job, Outcome, Request,
    Response, Session,
};
use scalescope_core::share::encode_body;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Worker};

#[wasm_bindgen]
extern "C" {
    /// `import.meta` of the page's JS glue module.
    type ImportMeta;

    #[wasm_bindgen(thread_local_v2, js_namespace = import, js_name = meta)]
    static IMPORT_META: ImportMeta;

    /// The URL of the glue module (Trunk names it `scalescope-web-<hash>.js`).
    #[wasm_bindgen(method, getter)]
    fn url(this: &ImportMeta) -> String;
}

/// The message a worker sends once it listens.
const READY: &str = "ready";

/// What to do with an analysis: the page's state takes it.
type OnOutcome = Rc<dyn Fn(Outcome)>;

/// A link body to compress, kept until the fragment is back (to compress it inline should
/// the worker fail).
struct Encoding {
    id: u64,
    body: Vec<u8>,
    sent: bool,
    done: Box<dyn FnOnce(String)>,
}

struct Inner {
    worker: Option<Worker>,
    /// The worker has said it listens.
    ready: bool,
    /// The inline session (used when there is no worker).
    session: Session,
    next_id: u64,
    /// The newest analysis asked for and not yet answered.
    newest: Option<(u64, Job)>,
    /// The analysis the worker is computing. At most one is in flight: edits made
    /// meanwhile wait, and only the newest of them is sent when it is done (a worker
    /// cannot be interrupted, and 10⁵ rows take a second to fit).
    in_flight: Option<u64>,
    encodings: Vec<Encoding>,
    on_outcome: OnOutcome,
}

/// The page's handle on its reading and fitting (cheap to clone; main thread only).
#[derive(Clone)]
pub struct Engine(Rc<RefCell<Inner>>);

impl Engine {
    /// Starts the worker (or the inline fallback); `on_outcome` receives the answer to the
    /// newest job.
    pub fn start(on_outcome: impl Fn(Outcome) + 'static) -> Engine {
        let engine = Engine(Rc::new(RefCell::new(Inner {
            worker: None,
            ready: false,
            session: Session::new(),
            next_id: 1,
            newest: None,
            in_flight: None,
            encodings: Vec::new(),
            on_outcome: Rc::new(on_outcome),
        })));
        match spawn_worker() {
            Some(worker) => engine.attach(worker),
            None => mark("inline"),
        }
        engine
    }

    /// Reads and fits `job`; the answer goes to `on_outcome` (at once when inline), unless
    /// a newer job was asked for meanwhile.
    pub fn analyse(&self, job: Job) {
        let inline = {
            let mut inner = self.0.borrow_mut();
            if inner.worker.is_some() {
                let id = inner.next_id;
                inner.next_id += 1;
                inner.newest = Some((id, job));
                None
            } else {
                Some(inner.session.run(&job))
            }
        };
        match inline {
            Some(outcome) => self.deliver(outcome),
            None => self.pump(),
        }
    }

    /// Compresses a share-link body into a fragment ([`encode_body`]) and hands it to
    /// `done` (at once when inline).
    pub fn encode_link(&self, body: Vec<u8>, done: impl FnOnce(String) + 'static) {
        {
            let mut inner = self.0.borrow_mut();
            if inner.worker.is_some() {
                let id = inner.next_id;
                inner.next_id += 1;
                inner.encodings.push(Encoding {
                    id,
                    body,
                    sent: false,
                    done: Box::new(done),
                });
                drop(inner);
                return self.pump();
            }
        }
        done(encode_body(&body));
    }

    /// Hands `outcome` to the page (with no borrow held: the page may ask for more).
    fn deliver(&self, outcome: Outcome) {
        let on_outcome = Rc::clone(&self.0.borrow().on_outcome);
        on_outcome(outcome);
    }

    /// Sends what can be sent: every waiting encoding, and the newest analysis unless one
    /// is in flight.
    fn pump(&self) {
        let (worker, requests) = {
            let mut inner = self.0.borrow_mut();
            let Some(worker) = inner.worker.clone().filter(|_| inner.ready) else {
                return;
            };
            let mut requests = Vec::new();
            for e in inner.encodings.iter_mut().filter(|e| !e.sent) {
                e.sent = true;
                requests.push(Request::EncodeLink {
                    id: e.id,
                    body: e.body.clone(),
                });
            }
            if inner.in_flight.is_none() {
                if let Some((id, job)) = inner.newest.clone() {
                    inner.in_flight = Some(id);
                    requests.push(Request::Analyse { id, job });
                }
            }
            (worker, requests)
        };
        for request in requests {
            if post(&worker, &encode_request(&request)).is_err() {
                return self.fail();
            }
        }
    }

    fn attach(&self, worker: Worker) {
        let me = self.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            me.receive(ev.data());
        })
        .into_js_value();
        let me = self.clone();
        let on_error =
            Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| me.fail()).into_js_value();
        worker.set_onmessage(Some(on_message.unchecked_ref()));
        worker.set_onerror(Some(on_error.unchecked_ref()));
        self.0.borrow_mut().worker = Some(worker);
    }

    fn receive(&self, data: JsValue) {
        if data.as_string().as_deref() == Some(READY) {
            self.0.borrow_mut().ready = true;
            mark("worker");
            return self.pump();
        }
        let Some(bytes) = data.dyn_ref::<Uint8Array>().map(Uint8Array::to_vec) else {
            return self.fail();
        };
        match decode_response(&bytes) {
            Ok(Response::Analysed { id, outcome }) => {
                let newest = {
                    let mut inner = self.0.borrow_mut();
                    inner.in_flight = None;
                    let newest = inner.newest.as_ref().is_some_and(|(n, _)| *n == id);
                    if newest {
                        inner.newest = None;
                    }
                    newest
                };
                if newest {
                    // In a task of its own: decoding 10⁵ rows and rendering them are each
                    // tens of milliseconds; split, the page can take input in between. A job
                    // asked for meanwhile supersedes this answer.
                    let me = self.clone();
                    leptos::prelude::set_timeout(
                        move || {
                            if me.0.borrow().newest.is_none() {
                                me.deliver(outcome);
                            }
                        },
                        std::time::Duration::ZERO,
                    );
                }
                self.pump();
            }
            Ok(Response::Encoded { id, fragment }) => {
                let done = {
                    let mut inner = self.0.borrow_mut();
                    let i = inner.encodings.iter().position(|e| e.id == id);
                    i.map(|i| inner.encodings.remove(i).done)
                };
                if let Some(done) = done {
                    done(fragment);
                }
            }
            // The engine asks no bootstrap (the pool does, on its own workers).
            Ok(Response::Resampled { .. }) => self.fail(),
            Err(e) => {
                web_sys::console::error_1(&format!("worker answer unreadable: {e}").into());
                self.fail();
            }
        }
    }

    /// The worker failed (did not load, crashed, answered garbage): carry on inline, and
    /// do what it still owed.
    fn fail(&self) {
        let (newest, encodings) = {
            let mut inner = self.0.borrow_mut();
            let Some(worker) = inner.worker.take() else {
                return;
            };
            worker.terminate();
            inner.ready = false;
            inner.in_flight = None;
            (inner.newest.take(), std::mem::take(&mut inner.encodings))
        };
        web_sys::console::warn_1(
            &"Scalescope: the worker is unavailable; fitting on the page".into(),
        );
        mark("inline");
        for e in encodings {
            (e.done)(encode_body(&e.body));
        }
        if let Some((_, job)) = newest {
            self.analyse(job);
        }
    }
}

/// Records where the work runs as `window.__scalescopeEngine` (`"worker"` or `"inline"`),
/// for the end-to-end tests.
fn mark(engine: &str) {
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(&w, &"__scalescopeEngine".into(), &engine.into());
    }
}

/// Posts `bytes` to `worker`, transferring the buffer.
fn post(worker: &Worker, bytes: &[u8]) -> Result<(), JsValue> {
    let array = Uint8Array::from(bytes);
    worker.post_message_with_transfer(&array, &Array::of1(&array.buffer()))
}

/// Starts the worker: a module script that imports the page's glue and initialises the
/// same wasm (`<glue>_bg.wasm`, as Trunk names it), whose `main` then calls [`serve`].
/// `None` where the page was not built by Trunk (e.g. under the test runner) or workers are
/// unavailable. (The blob URL may be revoked at once: the constructor has resolved it.)
pub(crate) fn spawn_worker() -> Option<Worker> {
    let glue = IMPORT_META.with(ImportMeta::url);
    let name = glue.rsplit('/').next().unwrap_or_default();
    if !(name.starts_with("scalescope-web") && name.ends_with(".js")) {
        return None;
    }
    // A URL has no quote or backslash that would need escaping in a JS string.
    if glue.contains(['"', '\\', '\n']) {
        return None;
    }
    // Trunk renames wasm-bindgen's output: the glue's default wasm path would be wrong.
    let wasm = format!("{}_bg.wasm", glue.trim_end_matches(".js"));
    let source =
        format!("import init from \"{glue}\";\nawait init({{ module_or_path: \"{wasm}\" }});\n");
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(
        &Array::of1(&JsValue::from_str(&source)),
        &options,
    )
    .ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let worker_options = web_sys::WorkerOptions::new();
    worker_options.set_type(web_sys::WorkerType::Module);
    let worker = Worker::new_with_options(&url, &worker_options).ok();
    let _ = web_sys::Url::revoke_object_url(&url);
    worker
}

/// The worker's global scope, when this wasm runs in a dedicated worker.
pub fn worker_scope() -> Option<DedicatedWorkerGlobalScope> {
    js_sys::global().dyn_into().ok()
}

/// The worker's side: answers each request with the session's response. Call once, from
/// `main`, in the worker.
pub fn serve(scope: DedicatedWorkerGlobalScope) {
    let session = RefCell::new(Session::new());
    let out = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let bytes = match ev.data().dyn_into::<Uint8Array>() {
            Ok(a) => a.to_vec(),
            Err(_) => return,
        };
        let reply = match decode_request(&bytes) {
            Ok(request) => encode_response(&session.borrow_mut().respond(request)),
            Err(e) => {
                // The page sees an answer it cannot read and falls back to fitting inline.
                web_sys::console::error_1(&format!("worker request unreadable: {e}").into());
                Vec::new()
            }
        };
        let array = Uint8Array::from(reply.as_slice());
        let _ = out.post_message_with_transfer(&array, &Array::of1(&array.buffer()));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str(READY));
}
