//! Running code that may panic (progenitor asserts on some inputs) and turning the panic
//! into an error line, without the default hook's message on stderr, from any thread.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// `f()`, or the panic's message.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static INSTALL: Once = Once::new();
    // One process-wide hook that stays silent only on threads inside `catch`: swapping
    // the hook per call would race between the corpus's worker threads.
    INSTALL.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                default(info);
            }
        }));
    });
    let was_quiet = QUIET.with(|q| q.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was_quiet));
    result.map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "unknown panic".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_messages_on_any_thread() {
        assert_eq!(catch(|| 1), Ok(1));
        let handles: Vec<_> = (0..4)
            .map(|i| std::thread::spawn(move || catch(|| -> u8 { panic!("boom {i}") })))
            .collect();
        for (i, h) in handles.into_iter().enumerate() {
            assert_eq!(h.join().unwrap(), Err(format!("boom {i}")));
        }
        assert_eq!(
            catch(|| -> u8 { panic!("{}", "static") }).unwrap_err(),
            "static"
        );
    }
}
