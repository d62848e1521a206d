//! A second core inside one report: the PDF front end's two stages (`pdf::rows_with`), the
//! reader's row normalization and item building (`reader::normalize`, `reader::read`). A batch
//! (a report per core already), one core, or `-j 1` keeps a report to one thread.

use std::sync::atomic::{AtomicBool, Ordering};

static HELPERS: AtomicBool = AtomicBool::new(true);

/// Whether a report may put a second thread to work (the default); `jisseki -j 1` turns it
/// off so that a run keeps to one thread.
pub fn set_helper_threads(on: bool) {
    HELPERS.store(on, Ordering::Relaxed);
}

/// True when a second thread would have a core of its own: helpers allowed, two cores or
/// more, and not inside a batch's thread pool, where every core already has a report.
pub fn second_core_free() -> bool {
    HELPERS.load(Ordering::Relaxed)
        && std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2)
        && rayon::current_thread_index().is_none()
}

/// `items` mapped by `f`, in order; the second half on a second thread when one is free and
/// there is enough work to pay for starting it.
pub fn map_halves<T: Sync, U: Send>(
    items: &[T],
    min_len: usize,
    f: impl Fn(&T) -> U + Sync,
) -> Vec<U> {
    if items.len() < min_len.max(2) || !second_core_free() {
        return items.iter().map(&f).collect();
    }
    let (a, b) = items.split_at(items.len() / 2);
    std::thread::scope(|scope| {
        let second = std::thread::Builder::new()
            .name("halves".into())
            .spawn_scoped(scope, || b.iter().map(&f).collect::<Vec<U>>());
        let mut out: Vec<U> = a.iter().map(&f).collect();
        match second {
            Ok(h) => out.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))),
            // No thread to be had: the second half here too.
            Err(_) => out.extend(b.iter().map(&f)),
        }
        out
    })
}

/// [`map_halves`] for owned items, each moved into `f`.
pub fn map_halves_owned<T: Send, U: Send>(
    mut items: Vec<T>,
    min_len: usize,
    f: impl Fn(T) -> U + Sync,
) -> Vec<U> {
    if items.len() < min_len.max(2) || !second_core_free() {
        return items.into_iter().map(&f).collect();
    }
    let b = items.split_off(items.len() / 2);
    std::thread::scope(|scope| {
        // The second half goes over once the thread exists (kept here if none can start).
        let (tx, rx) = std::sync::mpsc::channel::<Vec<T>>();
        let g = &f;
        let second = std::thread::Builder::new()
            .name("halves".into())
            .spawn_scoped(scope, move || {
                let b = rx.recv().unwrap_or_default();
                b.into_iter().map(g).collect::<Vec<U>>()
            });
        match second {
            Ok(h) => {
                let _ = tx.send(b);
                let mut out: Vec<U> = items.into_iter().map(&f).collect();
                out.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
                out
            }
            // No thread to be had: the second half here too.
            Err(_) => items.into_iter().chain(b).map(&f).collect(),
        }
    })
}
