//! The command line: clap definitions, one file per command. Each command
//! returns a [`Report`] or an error; [`run`] renders it and picks the exit code.

mod check;
mod corpus;
mod env;
mod gate;
mod lattice;
mod merge;
#[cfg(feature = "db")]
mod migrate;
mod replay;
mod watch;

use crate::reason::Reason;
use crate::report::{Format, Report, Style, render, render_error};
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};

/// gonogo: decides whether a release of a multi-tenant service is safe.
#[derive(Debug, Parser)]
#[command(name = "gonogo", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Output options shared by every command.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value = "human")]
    pub format: Format,
    /// No progress bar on stderr.
    #[arg(long, global = true)]
    pub no_progress: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Writes a starter gonogo.toml, env-matrix.toml, env files, corpus/ and a CI workflow.
    Init {
        /// The project folder (created if missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The git repository the CI workflow installs gonogo from (default:
        /// gonogo's own).
        #[arg(long, value_name = "URL")]
        gonogo_git: Option<String>,
        /// The full 40-hex commit of gonogo the CI workflow installs
        /// (default: the commit this gonogo was built from).
        #[arg(long, value_name = "REV")]
        gonogo_rev: Option<String>,
    },
    /// Runs the properties against the target.
    Check(check::CheckArgs),
    /// Merges the shard files of `check --exhaustive --shard K/N` into the
    /// report of the unsharded run.
    Merge(merge::MergeArgs),
    /// Replays saved counterexamples (a file, or every file under a folder).
    Replay(replay::ReplayArgs),
    /// The corpus after a model edit: `corpus upgrade`.
    #[command(subcommand)]
    Corpus(corpus::CorpusCommand),
    /// Prints the scope order (the Hasse diagram as Graphviz DOT with --dot).
    Lattice(lattice::LatticeArgs),
    /// Runs every configured check and writes the proof artifact.
    Gate(gate::GateArgs),
    /// Writes an Ed25519 key pair for `gate --sign` and `verify --key`.
    Keygen(gate::KeygenArgs),
    /// Verifies a proof artifact against the tree (and its signature).
    Verify(gate::VerifyArgs),
    /// What a reason code or a property means and how to fix it (every code
    /// without REASON).
    Explain {
        /// A reason code, such as `isolation_violated`, or a property name,
        /// such as `isolation`.
        reason: Option<String>,
    },
    /// Post-release verification: thresholds over a window, notes, chart.
    Watch(watch::WatchArgs),
    /// The environment matrix gate.
    #[command(subcommand)]
    Env(env::EnvCommand),
    /// Migration checks: the preflight gate and the up/down round trip.
    #[cfg(feature = "db")]
    #[command(subcommand)]
    Migrate(migrate::MigrateCommand),
}

/// Where counterexamples go: nowhere with `--no-corpus`, else `--corpus`,
/// else the config's (`[corpus] dir`, or `corpus/` beside it).
fn corpus_dir(
    no_corpus: bool,
    corpus: &Option<PathBuf>,
    from_config: &crate::runner::Options,
) -> Option<PathBuf> {
    if no_corpus {
        return None;
    }
    corpus.clone().or_else(|| from_config.corpus_dir.clone())
}

/// A command that could not produce a report: exit 2.
#[derive(Debug)]
pub struct Failure {
    /// The reason code, where one applies (`target_failed`).
    pub reason: Option<Reason>,
    pub message: String,
    /// For an error in an input file: the error with its line shown, for
    /// human output.
    pub source: Option<Box<crate::model::SourceError>>,
}

impl Failure {
    /// A failure with a message only.
    pub fn msg(message: impl Into<String>) -> Failure {
        Failure {
            reason: None,
            message: message.into(),
            source: None,
        }
    }
}

impl<E: std::fmt::Display + 'static> From<E> for Failure {
    fn from(e: E) -> Failure {
        let source = (&e as &dyn std::any::Any)
            .downcast_ref::<crate::model::SourceError>()
            .cloned()
            .map(Box::new);
        Failure {
            source,
            ..Failure::msg(e.to_string())
        }
    }
}

/// The target a config names, started; a target that cannot start is
/// `target_failed`.
pub fn start_target(
    config: &crate::model::Config,
) -> Result<Box<dyn crate::targets::TargetExt + Send>, Failure> {
    crate::targets::build(&config.target, &config.model).map_err(|e| match e {
        crate::targets::BuildError::Target(t) => Failure {
            reason: Some(Reason::TargetFailed),
            ..Failure::msg(t.to_string())
        },
        crate::targets::BuildError::Config(e) => Failure::from(e),
    })
}

/// Parses the arguments, runs the command, prints, and returns the exit code.
pub fn run() -> u8 {
    crate::targets::children::install_interrupt_handler();
    let code = run_command();
    crate::targets::children::wait_if_interrupted();
    code
}

fn run_command() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // `--version --format json|junit`: the version as a document.
            if e.kind() == clap::error::ErrorKind::DisplayVersion
                && let Some(format) = requested_format()
            {
                let report = crate::report::VersionReport::current();
                let _ = print_text(&crate::report::render(&report, format, &Style::default()));
                return 0;
            }
            let _ = e.print();
            if !e.use_stderr() {
                return 0; // --help, --version
            }
            // A CI parser asked for a document gets one, even for bad arguments.
            if let Some(format) = requested_format() {
                let text = e.render().to_string();
                let first = text.lines().next().unwrap_or_default();
                let message = first.strip_prefix("error: ").unwrap_or(first).to_string();
                let _ = print_text(&render_error(
                    "gonogo",
                    None,
                    &message,
                    format,
                    &Style::default(),
                ));
            }
            return 2;
        }
    };
    let style = Style::detect();
    let format = cli.output.format;
    let (name, outcome): (&str, Result<Box<dyn Report>, Failure>) = match &cli.command {
        Command::Init {
            dir,
            gonogo_git,
            gonogo_rev,
        } => (
            "init",
            init(dir, gonogo_git.as_deref(), gonogo_rev.as_deref()),
        ),
        Command::Check(a) => ("check", check::run(a, &cli.output)),
        Command::Replay(a) => ("replay", replay::run(a)),
        Command::Merge(a) => ("merge", merge::run(a)),
        Command::Corpus(c) => ("corpus", corpus::run(c)),
        Command::Env(e) => ("env", env::run(e)),
        Command::Watch(a) => ("watch", watch::run(a)),
        Command::Explain { reason } => ("explain", explain(reason.as_deref())),
        Command::Gate(a) => ("gate", gate::run_gate(a, &cli.output)),
        Command::Verify(a) => ("verify", gate::run_verify(a)),
        Command::Keygen(a) => ("keygen", gate::run_keygen(a)),
        #[cfg(feature = "db")]
        Command::Migrate(m) => ("migrate", migrate::run(m)),
        Command::Lattice(a) if a.dot => ("lattice", lattice::dot(a)),
        Command::Lattice(a) => ("lattice", lattice::run(a)),
    };
    // An interrupted command prints no report of its own: the handler is
    // cleaning up and exits 2 (a report written now, after the cleanup
    // pulled a database from under it, could say NO-GO or worse).
    crate::targets::children::wait_if_interrupted();
    match outcome {
        Ok(report) => {
            let code = report.verdict().exit_code();
            let text = render(report.as_ref(), format, &style);
            match print_text(&text) {
                Ok(()) => code,
                Err(()) => 2,
            }
        }
        Err(Failure {
            reason,
            message,
            source,
        }) => {
            let err_style = Style {
                color: style.color && std::io::IsTerminal::is_terminal(&std::io::stderr()),
            };
            if format != Format::Human {
                let _ = print_text(&render_error(name, reason, &message, format, &style));
            }
            match source {
                // An input file's error: the offending line, with a caret.
                Some(e) => eprint!("{}", e.render(err_style.color)),
                None => eprint!(
                    "{}",
                    render_error(name, reason, &message, Format::Human, &err_style)
                ),
            }
            2
        }
    }
}

/// `gonogo init [DIR] [--gonogo-git URL] [--gonogo-rev REV]`.
fn init(dir: &Path, git: Option<&str>, rev: Option<&str>) -> Result<Box<dyn Report>, Failure> {
    let install = crate::init::Install::new(git, rev)?;
    let written = crate::init::write(dir, &install)?;
    let shown = written
        .iter()
        .map(|p| p.strip_prefix(dir).unwrap_or(p).display().to_string())
        .collect();
    Ok(Box::new(crate::report::InitReport::new(
        dir.display().to_string(),
        shown,
    )))
}

/// `gonogo explain [REASON]`.
fn explain(code: Option<&str>) -> Result<Box<dyn Report>, Failure> {
    // A property name: what it states, and the reason its violation reports.
    if let Some(p) = code.and_then(|c| crate::invariants::Property::from_name(c.trim())) {
        let mut report = crate::report::ExplainReport::new(&[p.reason()]);
        report.property = Some(crate::report::ExplainedProperty {
            name: p.name(),
            statement: p.definition().statement,
            reason: p.reason().code(),
        });
        return Ok(Box::new(report));
    }
    let reasons = match code {
        None => Reason::ALL.to_vec(),
        Some(c) => vec![Reason::from_code(c.trim()).ok_or_else(|| {
            let known: Vec<&str> = Reason::ALL.iter().map(|r| r.code()).collect();
            Failure::msg(format!(
                "unknown reason code or property `{c}`; properties: {}; reason codes: {}",
                crate::invariants::Property::ALL
                    .map(|p| p.name())
                    .join(", "),
                known.join(", ")
            ))
        })?],
    };
    Ok(Box::new(crate::report::ExplainReport::new(&reasons)))
}

/// `--format json|junit` from the raw arguments, for errors clap reports.
fn requested_format() -> Option<Format> {
    let args: Vec<String> = std::env::args().collect();
    let value = args.iter().enumerate().find_map(|(i, a)| {
        a.strip_prefix("--format=").map(str::to_string).or_else(|| {
            (a == "--format")
                .then(|| args.get(i + 1).cloned())
                .flatten()
        })
    })?;
    match value.as_str() {
        "json" => Some(Format::Json),
        "junit" => Some(Format::Junit),
        _ => None,
    }
}

fn print_text(text: &str) -> Result<(), ()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|_| ())
}

/// A progress bar on stderr for `total` steps, when one is wanted: stderr is
/// a terminal, `--no-progress` is not given and `CI` is not `true`.
pub fn progress_bar(
    output: &OutputArgs,
    total: u64,
) -> Option<std::sync::Arc<dyn crate::runner::Progress>> {
    let ci = std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true"));
    if output.no_progress || ci || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {msg:14} [{bar:30}] {pos}/{len} cases ({rate}, {eta} left)",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        // Whole cases per second (indicatif's `per_sec` shows decimals).
        .with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0}/s", state.per_sec());
            },
        )
        .progress_chars("=> "),
    );
    Some(std::sync::Arc::new(Bar(bar)))
}

/// The terminal's progress bar.
#[derive(Debug)]
struct Bar(indicatif::ProgressBar);

// A bar left half-drawn by a panic is harmless.
impl std::panic::UnwindSafe for Bar {}
impl std::panic::RefUnwindSafe for Bar {}

impl crate::runner::Progress for Bar {
    fn inc(&self, n: u64) {
        self.0.inc(n);
    }
    fn set_message(&self, message: &'static str) {
        self.0.set_message(message);
    }
    fn set_length(&self, steps: u64) {
        self.0.set_length(steps);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// The config file: `--config` as given, or the nearest `gonogo.toml` in
/// `start` or a folder above it.
pub fn find_config(given: Option<&Path>, start: &Path) -> Result<PathBuf, Failure> {
    if let Some(p) = given {
        return Ok(p.to_path_buf());
    }
    let start = if start.is_file() {
        start.parent().map(Path::to_path_buf).unwrap_or_default()
    } else {
        start.to_path_buf()
    };
    let absolute = std::path::absolute(&start).unwrap_or(start);
    for dir in absolute.ancestors() {
        let candidate = dir.join("gonogo.toml");
        if candidate.is_file() {
            return Ok(relative_to_cwd(&candidate));
        }
    }
    Err(Failure::msg(
        "no `gonogo.toml` here or in a folder above; pass --config FILE",
    ))
}

/// A path shown relative to the working directory when it is below it.
fn relative_to_cwd(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}
