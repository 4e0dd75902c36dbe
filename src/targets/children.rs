//! Child processes started by gonogo: every one is in its own process group,
//! registered here, and killed with its group when gonogo is interrupted
//! (Ctrl-C, SIGTERM) or dies, so no target outlives the run.

use std::sync::Mutex;
use std::sync::Once;

static GROUPS: Mutex<Vec<i32>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();

/// Registers a process group to kill on interrupt.
pub fn register(pgid: i32) {
    install_interrupt_handler();
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
pub fn install_interrupt_handler() {
    HANDLER.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            let groups = GROUPS.lock().map(|g| g.clone()).unwrap_or_default();
            for pgid in groups {
                kill_group(pgid);
            }
            eprintln!("error: interrupted; the target was stopped");
            std::process::exit(2);
        });
    });
}
