//! The work the page runs off its main thread (in a Web Worker running the same wasm), as
//! plain data with a compact binary wire format.
//!
//! The page posts a [`Request`] as bytes ([`encode_request`]); the worker decodes it, answers
//! it with [`Session::respond`] and posts the [`Response`] back as bytes
//! ([`encode_response`]). Decoding gives exactly what was encoded: every `f64` by its bits
//! (NaN payloads too), every text, position and warning.
//!
//! ```
//! use scalescope_core::job::{decode_response, encode_request, decode_request, encode_response, Job, Request, Response, Session};
//!
//! let job = Job {
//!     text: "N,loss\n1e6,4\n1e7,3.2\n1e8,2.9\n".into(),
//!     read: Default::default(),
//!     analysis: Default::default(),
//! };
//! let request = Request::Analyse { id: 7, job };
//! // In the worker:
//! let mut session = Session::new();
//! let bytes = encode_request(&request);
//! let response = session.respond(decode_request(&bytes)?);
//! // Back on the page:
//! let Response::Analysed { id, outcome } = decode_response(&encode_response(&response))? else {
//!     unreachable!()
//! };
//! assert_eq!(id, 7);
//! assert!(outcome.read.is_ok());
//! assert_eq!(outcome.table.map(|t| t.len()), Some(3));
//! # Ok::<(), scalescope_core::job::JobError>(())
//! ```
//!
//! # Wire format
//!
//! `[format: 1 byte = FORMAT] [kind: 1 byte] [id: varint] [fields…]`, the fields in
//! declaration order with the byte primitives of the share links (LEB128 varints, raw
//! little-endian `f64` bits, length-prefixed UTF-8, one tag byte per enum and option).
//! Request kinds are 1 (analyse) and 2 (encode a link); response kinds 3 (analysed) and
//! 4 (encoded), so a message read by the wrong decoder is refused. Lines are written as
//! zigzag differences from the previous one (one byte each for consecutive lines). A table
//! carries only what was read (headers, cells, lines, roles, positivity, rows that could not
//! be stored, reading warnings); its layout, usable rows, skipped rows and warnings are
//! derived again on decoding, exactly as the reader derived them.
//!
//! The format is not stored anywhere, so it has no compatibility promise; [`FORMAT`] still
//! changes with it, so a page and a worker from different builds (one of them cached)
//! refuse each other's messages with [`JobError::Format`] instead of misreading them.

mod analysis;
mod table;
mod wire;

use crate::analysis::{analyze, Analysis, AnalysisOptions};
use crate::bootstrap::run_chunk;
use crate::table::{read_table, ReadError, ReadOptions, Table};
use std::ops::Range;
use wire::{In, Out};

/// Read `text` and fit it: one request of the page.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    /// The table as text, exactly as typed, pasted or loaded.
    pub text: String,
    /// How to read it (delimiter, header, roles chosen by the user, positivity).
    pub read: ReadOptions,
    /// How to fit it (form, objective, mode, groups, excluded lines).
    pub analysis: AnalysisOptions,
}

/// The answer to a [`Job`].
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Whether the job's text was read; on error the analysis is of the last table that read.
    pub read: Result<(), ReadError>,
    /// The table the job's text made; `None` when it did not read (the page keeps the one it
    /// has).
    pub table: Option<Table>,
    /// Fits of the table that was read, or else of the last one that read; `None` while no
    /// text has read yet.
    pub analysis: Option<Analysis>,
}

/// Runs jobs, remembering the last table that read (so that a form change while the text
/// has an error refits the previous data, as the page always did).
#[derive(Clone, Debug, Default)]
pub struct Session {
    /// The last table that read.
    last: Option<Table>,
    /// The analysis a bootstrap refits, with the options that made it (kept between
    /// [`Request::Bootstrap`] chunks).
    boot: Option<(Analysis, AnalysisOptions)>,
}

impl Session {
    /// A session that has read nothing yet.
    pub fn new() -> Self {
        Session::default()
    }

    /// [`read_table`] of the job's text, then [`analyze`] of the table. On a read error, the
    /// last table that read is analysed with the job's analysis options (no analysis if no
    /// text has read yet).
    pub fn run(&mut self, job: &Job) -> Outcome {
        match read_table(&job.text, &job.read) {
            Ok(table) => {
                let analysis = analyze(&table, &job.analysis);
                self.last = Some(table.clone());
                Outcome {
                    read: Ok(()),
                    table: Some(table),
                    analysis: Some(analysis),
                }
            }
            Err(e) => Outcome {
                read: Err(e),
                table: None,
                analysis: self.last.as_ref().map(|t| analyze(t, &job.analysis)),
            },
        }
    }

    /// What the worker does with a request: runs the job, or compresses the link body.
    pub fn respond(&mut self, request: Request) -> Response {
        match request {
            Request::Analyse { id, job } => Response::Analysed {
                id,
                outcome: self.run(&job),
            },
            Request::EncodeLink { id, body } => Response::Encoded {
                id,
                fragment: crate::share::encode_body(&body),
            },
            Request::Bootstrap {
                id,
                job,
                seed,
                range,
            } => Response::Resampled {
                id,
                start: range.start,
                groups: self.resample(job, seed, range),
            },
        }
    }

    /// Refits resamples `range` of every group of `job`'s analysis (or, without a job, of
    /// the one the last chunk refitted): per group, in the analysis's order, the refits
    /// of [`run_chunk`]; empty for a group without a fit (or before any job).
    pub fn resample(&mut self, job: Option<Job>, seed: u64, range: Range<u64>) -> Vec<Refits> {
        if let Some(job) = job {
            self.boot = read_table(&job.text, &job.read)
                .ok()
                .map(|t| (analyze(&t, &job.analysis), job.analysis));
        }
        let Some((analysis, options)) = &self.boot else {
            return Vec::new();
        };
        // A chunk is at most a whole bootstrap (a forged range cannot loop for ever).
        let most = *crate::bootstrap::RESAMPLES.end() as u64;
        let range = range.start..range.end.min(range.start.saturating_add(most));
        let options = options.fit_options();
        analysis
            .groups
            .iter()
            .map(|g| match &g.fit {
                Ok(full) => run_chunk(&g.fitted_points(), &options, full, seed, range.clone())
                    .unwrap_or_default(),
                Err(_) => Vec::new(),
            })
            .collect()
    }
}

/// One group's refits of a chunk of resamples: entry `k` is resample `start + k`'s
/// parameters, `None` when it could not be refitted.
pub type Refits = Vec<Option<Vec<f64>>>;

/// A message to the worker. `id` lets the page drop stale answers.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// Read and fit.
    Analyse {
        /// Chosen by the page; the response carries it back.
        id: u64,
        /// The work.
        job: Job,
    },
    /// Compress a share-link body ([`crate::share::body`]) into a link fragment
    /// ([`crate::share::encode_body`]): slow for big data (deflate level 9), hence off the
    /// main thread.
    EncodeLink {
        /// Chosen by the page; the response carries it back.
        id: u64,
        /// The uncompressed link body.
        body: Vec<u8>,
    },
    /// Refit bootstrap resamples `range` of every group ([`Session::resample`]): one chunk
    /// of a bootstrap that a pool of workers shares.
    Bootstrap {
        /// Chosen by the page; the response carries it back.
        id: u64,
        /// The analysis to resample; `None` for the one of this worker's previous chunk
        /// (so that the text crosses once per worker, not once per chunk).
        job: Option<Job>,
        /// The bootstrap's seed.
        seed: u64,
        /// Which resamples.
        range: Range<u64>,
    },
}

/// The worker's answer.
#[derive(Clone, Debug, PartialEq)]
#[expect(
    clippy::large_enum_variant,
    reason = "one response at a time, moved rather than stored; the page matches on the outcome directly"
)]
pub enum Response {
    /// The answer to [`Request::Analyse`].
    Analysed {
        /// The request's id.
        id: u64,
        /// What reading and fitting gave.
        outcome: Outcome,
    },
    /// The answer to [`Request::EncodeLink`].
    Encoded {
        /// The request's id.
        id: u64,
        /// The link fragment (without `#`), exactly [`crate::share::encode`]'s output.
        fragment: String,
    },
    /// The answer to [`Request::Bootstrap`].
    Resampled {
        /// The request's id.
        id: u64,
        /// The first resample's index.
        start: u64,
        /// Per group of the analysis, its refits.
        groups: Vec<Refits>,
    },
}

/// The wire format this build writes and reads (see the [module docs](self#wire-format)).
pub const FORMAT: u8 = 5;

const ANALYSE: u8 = 1;
const ENCODE_LINK: u8 = 2;
const BOOTSTRAP: u8 = 3;
const ANALYSED: u8 = 4;
const ENCODED: u8 = 5;
const RESAMPLED: u8 = 6;
// The readers take a request's kind as `ANALYSE` + 0, 1 or 2, a response's as `ANALYSED` + 0,
// 1 or 2.
const _: () = assert!(
    ENCODE_LINK == ANALYSE + 1
        && BOOTSTRAP == ANALYSE + 2
        && ENCODED == ANALYSED + 1
        && RESAMPLED == ANALYSED + 2
);

/// Why bytes are not a message. `Display` names the byte where reading stopped.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// The message ends before it is complete.
    #[error("the worker message is cut off at byte {at}")]
    Truncated {
        /// Where more bytes were needed (0-based).
        at: usize,
    },
    /// The message was written by another build (the page and its worker come from
    /// different versions, one of them cached).
    #[error("the worker message has format {found} but this build reads format {FORMAT}: reload the page")]
    Format {
        /// The message's format byte.
        found: u8,
    },
    /// An enum or option tag that no variant has.
    #[error("the worker message has an unknown {what} (tag {tag}) at byte {at}")]
    BadTag {
        /// What the tag was to say, e.g. `form`.
        what: &'static str,
        /// The tag byte.
        tag: u8,
        /// Its position (0-based).
        at: usize,
    },
    /// Well-formed bytes that make an impossible value (e.g. a table whose roles make no
    /// points, a count larger than the message).
    #[error("the worker message is invalid at byte {at}: {what}")]
    Invalid {
        /// What is wrong.
        what: &'static str,
        /// Where reading stopped (0-based).
        at: usize,
    },
    /// Bytes after the end of the message.
    #[error("the worker message has {extra} bytes after its end")]
    TrailingBytes {
        /// How many.
        extra: usize,
    },
}

/// The bytes of `r` (see the [module docs](self#wire-format)).
pub fn encode_request(r: &Request) -> Vec<u8> {
    let w = match r {
        Request::Analyse { id, job } => {
            let mut w = Out::with_capacity(job.text.len() + 64);
            w.head(ANALYSE, *id);
            write_job(&mut w, job);
            w
        }
        Request::EncodeLink { id, body } => {
            let mut w = Out::with_capacity(body.len() + 16);
            w.head(ENCODE_LINK, *id);
            w.bytes(body);
            w
        }
        Request::Bootstrap {
            id,
            job,
            seed,
            range,
        } => {
            let mut w = Out::with_capacity(job.as_ref().map_or(0, |j| j.text.len()) + 64);
            w.head(BOOTSTRAP, *id);
            match job {
                None => w.u8(0),
                Some(job) => {
                    w.u8(1);
                    write_job(&mut w, job);
                }
            }
            w.uint(*seed);
            w.uint(range.start);
            w.uint(range.end);
            w
        }
    };
    w.finish()
}

/// Reads [`encode_request`]'s output. Never panics, whatever the bytes.
///
/// # Errors
/// A [`JobError`] that says where the bytes stop making a request.
pub fn decode_request(bytes: &[u8]) -> Result<Request, JobError> {
    let mut r = In::new(bytes);
    let request = match r.head(ANALYSE, 3, "kind of request") {
        0 => Request::Analyse {
            id: r.uint(),
            job: read_job(&mut r),
        },
        1 => Request::EncodeLink {
            id: r.uint(),
            body: r.bytes(),
        },
        _ => Request::Bootstrap {
            id: r.uint(),
            job: r.option("optional job").then(|| read_job(&mut r)),
            seed: r.uint(),
            range: r.uint()..r.uint(),
        },
    };
    r.finish(request)
}

/// The bytes of `r` (see the [module docs](self#wire-format)).
pub fn encode_response(r: &Response) -> Vec<u8> {
    let w = match r {
        Response::Analysed { id, outcome } => {
            let mut w = Out::with_capacity(
                outcome.table.as_ref().map_or(0, table::size_hint)
                    + outcome.analysis.as_ref().map_or(0, analysis::size_hint)
                    + 64,
            );
            w.head(ANALYSED, *id);
            write_outcome(&mut w, outcome);
            w
        }
        Response::Encoded { id, fragment } => {
            let mut w = Out::with_capacity(fragment.len() + 16);
            w.head(ENCODED, *id);
            w.str(fragment);
            w
        }
        Response::Resampled { id, start, groups } => {
            let mut w = Out::with_capacity(64);
            w.head(RESAMPLED, *id);
            w.uint(*start);
            w.usize(groups.len());
            for refits in groups {
                w.usize(refits.len());
                for p in refits {
                    w.opt_f64s(p.as_deref());
                }
            }
            w
        }
    };
    w.finish()
}

/// Reads [`encode_response`]'s output. Never panics, whatever the bytes.
///
/// # Errors
/// A [`JobError`] that says where the bytes stop making a response.
pub fn decode_response(bytes: &[u8]) -> Result<Response, JobError> {
    let mut r = In::new(bytes);
    let response = match r.head(ANALYSED, 3, "kind of response") {
        0 => Response::Analysed {
            id: r.uint(),
            outcome: read_outcome(&mut r),
        },
        1 => Response::Encoded {
            id: r.uint(),
            fragment: r.string(),
        },
        _ => {
            let id = r.uint();
            let start = r.uint();
            let n = r.count(1);
            let groups = r.list(n, |r| {
                let n = r.count(1);
                r.list(n, In::opt_f64s)
            });
            Response::Resampled { id, start, groups }
        }
    };
    r.finish(response)
}

fn write_job(w: &mut Out, job: &Job) {
    w.str(&job.text);
    table::write_read_options(w, &job.read);
    analysis::write_options(w, &job.analysis);
}

fn read_job(r: &mut In) -> Job {
    Job {
        text: r.string(),
        read: table::read_read_options(r),
        analysis: analysis::read_options(r),
    }
}

fn write_outcome(w: &mut Out, o: &Outcome) {
    match &o.read {
        Ok(()) => w.u8(0),
        Err(e) => {
            w.u8(1);
            table::write_read_error(w, e);
        }
    }
    match &o.table {
        None => w.u8(0),
        Some(t) => {
            w.u8(1);
            table::write_table(w, t);
        }
    }
    match &o.analysis {
        None => w.u8(0),
        Some(a) => {
            w.u8(1);
            analysis::write_analysis(w, a);
        }
    }
}

fn read_outcome(r: &mut In<'_>) -> Outcome {
    Outcome {
        read: match r.tag("read result", 2) {
            0 => Ok(()),
            _ => Err(table::read_read_error(r)),
        },
        table: r.option("table").then(|| table::read_table(r)),
        analysis: r.option("analysis").then(|| analysis::read_analysis(r)),
    }
}
