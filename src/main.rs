//! The `gonogo` binary: run the command, map the outcome to exit 0 (GO),
//! 1 (NO-GO) or 2 (error). A panic is a bug and exits 2, never 0.

use std::process::ExitCode;

fn main() -> ExitCode {
    match std::panic::catch_unwind(gonogo::cli::run) {
        Ok(code) => ExitCode::from(code),
        Err(_) => {
            eprintln!("error: internal error: gonogo panicked (a bug; please report it)");
            ExitCode::from(2)
        }
    }
}
