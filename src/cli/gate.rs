//! `gonogo gate`, `gonogo keygen`, `gonogo verify`.

use super::{Failure, find_config};
use crate::gate::{self, GateOptions, VerifyOptions, dsse};
use crate::model::Config;
use crate::model::config::parse_seed;
use crate::report::{GateReport, Report};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct GateArgs {
    /// The config (default: the nearest gonogo.toml).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Where to write the proof (default: release-proof.json beside the config).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Sign the statement into a DSSE envelope with this Ed25519 private key.
    #[arg(long, value_name = "KEY")]
    pub sign: Option<PathBuf>,
    /// The seed of the property checks (default: `[check] seed`, else random).
    #[arg(long, value_parser = parse_seed)]
    pub seed: Option<u64>,
    /// With `[check] exhaustive = true`: the shard files of `check
    /// --exhaustive --shard K/N`, merged as the gate's exhaustive run.
    #[arg(long = "shards", value_name = "SHARD", num_args = 1..)]
    pub shards: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// The private key file to write (mode 0600; never overwritten).
    #[arg(long)]
    pub private: PathBuf,
    /// The public key file to write.
    #[arg(long)]
    pub public: PathBuf,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The proof artifact (a statement or a DSSE envelope).
    pub file: PathBuf,
    /// The folder the artifact's inputs are relative to (default: the artifact's folder).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// Check the signature with this public key.
    #[arg(long)]
    pub key: Option<PathBuf>,
    /// The release's gonogo.toml, relative to the root (default: the one the
    /// proof names).
    #[arg(long)]
    pub config: Option<String>,
    /// Do not compare the proof's git commit with the tree's.
    #[arg(long)]
    pub any_commit: bool,
}

pub fn run_gate(args: &GateArgs, output: &super::OutputArgs) -> Result<Box<dyn Report>, Failure> {
    let path = find_config(args.config.as_deref(), &std::env::current_dir()?)?;
    // Read once: the digest in the proof is of the bytes checked.
    let bytes = crate::model::source::read_regular(&path)
        .map_err(|e| Failure::msg(format!("{}: cannot read the config: {e}", path.display())))?;
    let text = String::from_utf8(bytes.clone())
        .map_err(|_| Failure::msg(format!("{}: not UTF-8 text", path.display())))?;
    let config = Config::parse(&crate::model::source::SourceFile::new(&path, text))?;
    // Read the key first: a bad key must not cost a whole gate run.
    let key = args
        .sign
        .as_deref()
        .map(dsse::read_private)
        .transpose()
        .map_err(|e| Failure::msg(e.to_string()))?;
    // The properties' bar, as `check` shows it (random cases; an
    // exhaustive domain is not counted in it).
    let total = u64::from(config.cases) * crate::invariants::Property::COUNT as u64;
    if !args.shards.is_empty() && !config.exhaustive {
        return Err(Failure::msg(
            "--shards merges a sharded exhaustive run: the config has no `[check] exhaustive = true`",
        ));
    }
    let mut shards = Vec::new();
    for file in &args.shards {
        let bytes = crate::model::source::read_regular(file)
            .map_err(|e| Failure::msg(format!("`{}`: {e}", file.display())))?;
        let sha = crate::gate::digest::bytes_digest(&bytes);
        let report = super::merge::parse(file, &bytes)?;
        shards.push((file.display().to_string(), sha, report));
    }
    let opts = GateOptions {
        seed: args.seed,
        progress: super::progress_bar(output, total),
        shards,
    };
    let statement = gate::run(&config, &bytes, &opts).map_err(|e| Failure::msg(e.message))?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| config.dir.join("release-proof.json"));
    // The proof never replaces one of the inputs it binds.
    let out_abs = std::path::absolute(&out).unwrap_or_else(|_| out.clone());
    let shard_paths = args.shards.iter().cloned();
    if gate::inputs(&config)
        .into_iter()
        .map(|i| i.path)
        .chain(shard_paths)
        .any(|i| {
            std::path::absolute(&i).is_ok_and(|p| p == out_abs)
                || std::fs::canonicalize(&i)
                    .is_ok_and(|p| std::fs::canonicalize(&out).is_ok_and(|o| o == p))
        })
    {
        return Err(Failure::msg(format!(
            "--out `{}` is one of the gate's own inputs; write the proof elsewhere",
            out.display()
        )));
    }
    let json = serde_json::to_vec_pretty(&statement).expect("a statement serializes");
    let bytes = match &key {
        Some(k) => {
            // Compact: no byte of the envelope is insignificant.
            let mut v = serde_json::to_vec(&dsse::sign(&json, k)).expect("an envelope serializes");
            v.push(b'\n');
            v
        }
        None => {
            let mut v = json;
            v.push(b'\n');
            v
        }
    };
    crate::model::source::write_atomic(&out, &bytes).map_err(Failure::msg)?;
    Ok(Box::new(GateReport::new(
        statement,
        out.display().to_string(),
        key.is_some(),
    )))
}

pub fn run_keygen(args: &KeygenArgs) -> Result<Box<dyn Report>, Failure> {
    let key = dsse::generate().map_err(|e| Failure::msg(e.to_string()))?;
    dsse::write_pair(&key, &args.private, &args.public).map_err(|e| Failure::msg(e.to_string()))?;
    Ok(Box::new(crate::report::KeygenReport {
        private: args.private.display().to_string(),
        public: args.public.display().to_string(),
        keyid: dsse::keyid(&key.verifying_key()),
    }))
}

pub fn run_verify(args: &VerifyArgs) -> Result<Box<dyn Report>, Failure> {
    let report = gate::verify(&VerifyOptions {
        file: args.file.clone(),
        root: args.root.clone(),
        key: args.key.clone(),
        config: args.config.clone(),
        any_commit: args.any_commit,
    })
    .map_err(|e| Failure::msg(e.to_string()))?;
    Ok(Box::new(report))
}
