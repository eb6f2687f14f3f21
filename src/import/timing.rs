//! Where an import's time goes, for profiling: with `CLIENTELE_TIMING` set (to anything but
//! empty or `0`), each phase's wall time is added up under its label and printed to stderr at
//! the end of the import. Off, a span costs one load of a flag.

use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var("CLIENTELE_TIMING").is_ok_and(|v| !v.is_empty() && v != "0"))
}

/// (label, total time, times entered), in the order first entered.
static SPANS: Mutex<Vec<(&'static str, Duration, u64)>> = Mutex::new(Vec::new());

/// Adds the time from its creation to its drop to its label.
pub(crate) struct Span {
    label: &'static str,
    start: Option<Instant>,
}

/// Start timing `label` (until the span is dropped).
pub(crate) fn span(label: &'static str) -> Span {
    Span { label, start: enabled().then(Instant::now) }
}

impl Drop for Span {
    fn drop(&mut self) {
        let Some(start) = self.start else { return };
        let elapsed = start.elapsed();
        let Ok(mut spans) = SPANS.lock() else { return };
        match spans.iter_mut().find(|(l, _, _)| *l == self.label) {
            Some((_, total, n)) => {
                *total += elapsed;
                *n += 1;
            }
            None => spans.push((self.label, elapsed, 1)),
        }
    }
}

/// Print and forget the phases timed so far.
pub(crate) fn report(title: &str) {
    if !enabled() {
        return;
    }
    let Ok(mut spans) = SPANS.lock() else { return };
    eprintln!("{title}:");
    for (label, total, n) in spans.drain(..) {
        eprintln!("  {label:<44} {:>8.3} s  ×{n}", total.as_secs_f64());
    }
}
