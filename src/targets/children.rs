//! Child processes started by gonogo: every one is in its own process group,
//! registered here, and killed with its group when gonogo is interrupted
//! (Ctrl-C, SIGTERM) or dies, so no target outlives the run.

use std::sync::Mutex;
#[cfg(feature = "cli")]
use std::sync::Once;

static GROUPS: Mutex<Vec<i32>> = Mutex::new(Vec::new());
#[cfg(feature = "cli")]
static HANDLER: Once = Once::new();

/// Something to undo if the command is interrupted (a scratch database to
/// drop), by id.
type Cleanup = Box<dyn Fn() + Send>;
static CLEANUPS: Mutex<Vec<(u64, Cleanup)>> = Mutex::new(Vec::new());
static NEXT_CLEANUP: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Registers a cleanup to run if the CLI is interrupted; returns its id for
/// [`forget_cleanup`].
pub fn on_interrupt(cleanup: Cleanup) -> u64 {
    let id = NEXT_CLEANUP.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if let Ok(mut c) = CLEANUPS.lock() {
        c.push((id, cleanup));
    }
    id
}

/// Forgets a cleanup (it was done the ordinary way).
pub fn forget_cleanup(id: u64) {
    if let Ok(mut c) = CLEANUPS.lock() {
        c.retain(|(i, _)| *i != id);
    }
}

static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// If the CLI was interrupted, never returns: the handler is cleaning up and
/// exits 2 when done. A command that finished meanwhile (perhaps because
/// the cleanup pulled a database from under it) must not exit first with
/// its own code.
pub fn wait_if_interrupted() {
    while INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Registers a process group to kill on interrupt. (The handler itself is
/// installed by the CLI only: a library user's process keeps its own
/// signal handling; the group still dies with it through the parent-death
/// signal.)
pub fn register(pgid: i32) {
    if let Ok(mut g) = GROUPS.lock() {
        g.push(pgid);
    }
}

/// Forgets a process group (its leader was reaped).
pub fn unregister(pgid: i32) {
    if let Ok(mut g) = GROUPS.lock() {
        g.retain(|&p| p != pgid);
    }
}

/// Kills a whole process group.
pub fn kill_group(pgid: i32) {
    if pgid > 0 {
        // SAFETY: kill(2) with a negative pid signals the process group; it
        // touches no memory of ours.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
    }
}

/// On SIGINT or SIGTERM: kill every registered group, then exit 2 (an
/// interrupted run is never GO).
#[cfg(feature = "cli")]
pub fn install_interrupt_handler() {
    HANDLER.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
            let groups = GROUPS.lock().map(|g| g.clone()).unwrap_or_default();
            for pgid in groups {
                kill_group(pgid);
            }
            let cleanups = CLEANUPS
                .lock()
                .map(|mut c| std::mem::take(&mut *c))
                .unwrap_or_default();
            for (_, cleanup) in cleanups {
                cleanup();
            }
            eprintln!("error: interrupted; the target was stopped");
            std::process::exit(2);
        });
    });
}
