//! `target.kind = "process"`: one child process for the whole run, speaking
//! JSON Lines (SPEC §4). Requests are pipelined: a batch is written by a
//! writer thread while answers are read, in order, by a reader thread.

use super::children;
use super::wire::{parse_answer, request_line, shown};
use super::{Target, TargetError, TargetExt};
use crate::model::{Decision, Request};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// Lines of the child's stderr kept for error messages.
const STDERR_LINES: usize = 20;

enum Line {
    Text(String),
    Eof,
    Failed(String),
}

/// A child process deciding requests.
pub struct ProcessTarget {
    /// How it was started, to start it again afresh.
    command: Vec<String>,
    cwd: std::path::PathBuf,
    child: Child,
    pgid: i32,
    program: String,
    to_writer: Option<Sender<Vec<u8>>>,
    lines: Receiver<Line>,
    stderr_tail: Arc<Mutex<VecDeque<String>>>,
    next_id: u64,
    /// Batches sent whose answers are still due: first id and requests.
    pending: VecDeque<(u64, Vec<Request>)>,
    timeout: Duration,
    dead: Option<TargetError>,
}

impl ProcessTarget {
    /// Starts `command` in `cwd`.
    pub fn spawn(
        command: &[String],
        cwd: &Path,
        timeout: Duration,
    ) -> Result<ProcessTarget, TargetError> {
        let (program, args) = command
            .split_first()
            .ok_or_else(|| TargetError::new("the target command is empty"))?;
        let mut cmd = Command::new(program);
        cmd.args(args)
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
            #[cfg(target_os = "linux")]
            // SAFETY: prctl is async-signal-safe and called in the child
            // between fork and exec; it only sets the parent-death signal.
            unsafe {
                cmd.pre_exec(|| {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                    Ok(())
                });
            }
        }
        let mut child = cmd.spawn().map_err(|e| {
            TargetError::new(format!(
                "cannot start `{program}` in `{}`: {}",
                cwd.display(),
                crate::model::source::io_message(&e)
            ))
        })?;
        let pgid = child.id() as i32;
        children::register(pgid);

        let stdin = child.stdin.take().expect("stdin is piped");
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");

        let (to_writer, from_main) = mpsc::channel::<Vec<u8>>();
        thread::spawn(move || {
            let mut stdin = stdin;
            for chunk in from_main {
                if stdin.write_all(&chunk).and_then(|_| stdin.flush()).is_err() {
                    break; // the child is gone; the reader reports it
                }
            }
        });

        let (to_main, lines) = mpsc::channel::<Line>();
        thread::spawn(move || {
            let mut reader = BufReader::with_capacity(1 << 16, stdout);
            loop {
                let mut line = String::new();
                // At most one line of `MAX_LINE` bytes is held: a longer
                // answer is garbage, not a reason to exhaust memory.
                let limit = super::wire::MAX_LINE as u64 + 1;
                match reader.by_ref().take(limit).read_line(&mut line) {
                    Ok(0) => {
                        let _ = to_main.send(Line::Eof);
                        break;
                    }
                    Ok(_) if line.len() > super::wire::MAX_LINE && !line.ends_with('\n') => {
                        let _ = to_main.send(Line::Failed(format!(
                            "an answer line longer than {} bytes",
                            super::wire::MAX_LINE
                        )));
                        break;
                    }
                    Ok(_) => {
                        if to_main.send(Line::Text(line)).is_err() {
                            break;
                        }
                    }
                    Err(e) => {
                        let _ = to_main.send(Line::Failed(e.to_string()));
                        break;
                    }
                }
            }
        });

        let stderr_tail = Arc::new(Mutex::new(VecDeque::new()));
        let tail = stderr_tail.clone();
        thread::spawn(move || {
            let mut reader = BufReader::new(stderr);
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match reader.by_ref().take(64 * 1024).read_until(b'\n', &mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        if let Ok(mut t) = tail.lock() {
                            if t.len() == STDERR_LINES {
                                t.pop_front();
                            }
                            t.push_back(String::from_utf8_lossy(&buf).trim_end().to_string());
                        }
                    }
                }
            }
        });

        Ok(ProcessTarget {
            command: command.to_vec(),
            cwd: cwd.to_path_buf(),
            child,
            pgid,
            program: program.clone(),
            to_writer: Some(to_writer),
            lines,
            stderr_tail,
            next_id: 0,
            pending: VecDeque::new(),
            timeout,
            dead: None,
        })
    }

    /// Stops the child and remembers why; every later call fails the same way.
    fn fail(&mut self, message: String, request: &Request) -> TargetError {
        self.stop();
        let mut message = message;
        let tail: Vec<String> = self
            .stderr_tail
            .lock()
            .map(|t| t.iter().cloned().collect())
            .unwrap_or_default();
        if !tail.is_empty() {
            message.push_str(&format!(
                "; its stderr ended with: {}",
                shown(&tail.join(" | "))
            ));
        }
        let err = TargetError {
            message,
            last_request: Some(Box::new(request.clone())),
        };
        self.dead = Some(err.clone());
        err
    }

    /// How the child ended, if it has (waits briefly for it to finish exiting).
    fn exit_status(&mut self) -> String {
        for _ in 0..50 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return match status.code() {
                    Some(c) => format!("exited with status {c}"),
                    None => "was killed by a signal".to_string(),
                };
            }
            thread::sleep(Duration::from_millis(10));
        }
        "closed its stdout".to_string()
    }

    /// Closes stdin, kills the process group, and reaps the child.
    fn stop(&mut self) {
        self.to_writer = None;
        children::kill_group(self.pgid);
        let _ = self.child.kill();
        let _ = self.child.wait();
        children::unregister(self.pgid);
    }
}

impl Target for ProcessTarget {
    fn decide(&mut self, request: &Request) -> Result<Decision, TargetError> {
        let mut d = self.decide_all(std::slice::from_ref(request))?;
        Ok(d.remove(0))
    }

    fn decide_all(&mut self, requests: &[Request]) -> Result<Vec<Decision>, TargetError> {
        // Answers still due for batches sent earlier come first.
        while !self.pending.is_empty() {
            self.receive()?;
        }
        self.send(requests)?;
        self.receive()
    }
}

impl TargetExt for ProcessTarget {
    fn fresh(&self) -> Option<Box<dyn TargetExt + Send>> {
        ProcessTarget::spawn(&self.command, &self.cwd, self.timeout)
            .ok()
            .map(|t| Box::new(t) as Box<dyn TargetExt + Send>)
    }

    fn send(&mut self, requests: &[Request]) -> Result<bool, TargetError> {
        if let Some(e) = &self.dead {
            return Err(e.clone());
        }
        if requests.is_empty() {
            self.pending.push_back((self.next_id, Vec::new()));
            return Ok(true);
        }
        let first = self.next_id;
        let mut batch = Vec::with_capacity(requests.len() * 256);
        for (i, r) in requests.iter().enumerate() {
            batch.extend_from_slice(request_line(first + i as u64, r).as_bytes());
        }
        self.next_id += requests.len() as u64;
        if self
            .to_writer
            .as_ref()
            .is_none_or(|w| w.send(batch).is_err())
        {
            let status = self.exit_status();
            return Err(self.fail(
                format!("the target `{}` {status}", self.program),
                &requests[0],
            ));
        }
        self.pending.push_back((first, requests.to_vec()));
        Ok(true)
    }

    fn receive(&mut self) -> Result<Vec<Decision>, TargetError> {
        if let Some(e) = &self.dead {
            return Err(e.clone());
        }
        let Some((first, requests)) = self.pending.pop_front() else {
            return Err(TargetError::new("internal error: no batch was sent"));
        };
        let mut out = Vec::with_capacity(requests.len());
        for (i, r) in requests.iter().enumerate() {
            let expected = first + i as u64;
            let line = match self.lines.recv_timeout(self.timeout) {
                Ok(Line::Text(t)) => t,
                Ok(Line::Eof) | Err(RecvTimeoutError::Disconnected) => {
                    let status = self.exit_status();
                    return Err(self.fail(
                        format!(
                            "the target `{}` {status} before answering request {expected}",
                            self.program
                        ),
                        r,
                    ));
                }
                Ok(Line::Failed(e)) => {
                    return Err(self.fail(format!("cannot read the target's stdout: {e}"), r));
                }
                Err(RecvTimeoutError::Timeout) => {
                    return Err(self.fail(
                        format!(
                            "the target `{}` did not answer request {expected} within {} ms (timeout_ms)",
                            self.program,
                            self.timeout.as_millis()
                        ),
                        r,
                    ));
                }
            };
            let answer = match parse_answer(&line) {
                Ok(a) => a,
                Err(why) => {
                    return Err(self.fail(
                        format!(
                            "the target answered a line that is not a decision ({why}): `{}`",
                            shown(&line)
                        ),
                        r,
                    ));
                }
            };
            match answer.id {
                Some(id) if id == expected => out.push(answer.decision),
                Some(id) => {
                    return Err(self.fail(
                        format!("the target answered id {id} where id {expected} was due"),
                        r,
                    ));
                }
                None => {
                    return Err(self.fail(
                        format!(
                            "the target answered without an `id` where id {expected} was due: `{}`",
                            shown(&line)
                        ),
                        r,
                    ));
                }
            }
        }
        Ok(out)
    }
}

impl Drop for ProcessTarget {
    fn drop(&mut self) {
        // Close stdin first: a well-behaved target exits on end of input.
        self.to_writer = None;
        for _ in 0..20 {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            thread::sleep(Duration::from_millis(5));
        }
        self.stop();
    }
}
