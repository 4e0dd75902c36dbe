//! Reason codes: every way gonogo can say NO-GO or ERROR, with its code string
//! and its explanation in one place, shared by the CLI, the JSON output and the
//! docs.

use serde::{Serialize, Serializer};
use std::fmt;

macro_rules! reasons {
    ($( $(#[$doc:meta])* $variant:ident => $code:literal, $explanation:literal; )*) => {
        /// A reason code of `SPEC.md`, as printed in every output format.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Reason {
            $( $(#[$doc])* $variant, )*
        }

        impl Reason {
            /// Every reason code, in documentation order.
            pub const ALL: &'static [Reason] = &[$(Reason::$variant,)*];

            /// The snake_case code, as printed.
            pub fn code(self) -> &'static str {
                match self { $(Reason::$variant => $code,)* }
            }

            /// One paragraph: what the code means and how to fix it.
            pub fn explanation(self) -> &'static str {
                match self { $(Reason::$variant => $explanation,)* }
            }

            /// The reason with this code, if there is one.
            pub fn from_code(code: &str) -> Option<Reason> {
                match code { $($code => Some(Reason::$variant),)* _ => None }
            }
        }
    };
}

reasons! {
    /// A principal gained a scope and lost an access.
    MonotonicityViolated => "monotonicity_violated",
        "Two requests differ only in the principal's scopes, the second holding at least what the first holds, yet the first is allowed and the second denied. Usually the target compares raw scope lists instead of their closure under `implies`, or denies on the presence of a scope. Fix the check to test required scopes against the down-closure of the principal's scopes.";
    /// A principal reached another tenant's resource.
    IsolationViolated => "isolation_violated",
        "A principal of one tenant, holding no cross-tenant scope, was allowed on a resource of another tenant. Tenant ids must be compared byte-for-byte: no prefix, case-insensitive, trimmed or Unicode-normalized comparison, and no tenant special-cased.";
    /// Equivalent requests got different answers.
    DeterminismViolated => "determinism_violated",
        "Equivalent requests got different decisions: the same request twice, permuted or duplicated scopes, another request id, time or resource id, or two requests with the same failure causes; or a reason or status outside the model's reason catalog. Derive the reason from the catalog's precedence order alone.";
    /// The target disagrees with the declared policy.
    ConformanceViolated => "conformance_violated",
        "The target's decision (allow, reason, status) differs from the declared policy in gonogo.toml. Either the service or the declared policy is wrong; decide which and fix it.";
    /// Renaming tenants changed a decision.
    SymmetryViolated => "symmetry_violated",
        "Renaming tenants one-to-one, the same way in principal and resource, changed a decision: some tenant id is special-cased in the target. Remove the special case or model it as a cross-tenant scope.";
    /// A local migration is not applied.
    Pending => "pending",
        "A migration in the folder is not applied to the database. Apply it before releasing, or pass --allow-pending to `migrate preflight` if the release applies it (it must apply cleanly on a scratch copy).";
    /// An applied migration's file changed.
    ChecksumMismatch => "checksum_mismatch",
        "A migration file changed after it was applied (its SHA-384 differs from the one in `_sqlx_migrations`). Restore the file as it was applied; put the change in a new migration.";
    /// An applied migration has no file.
    MissingLocal => "missing_local",
        "The database has a migration applied that the folder does not have: the release is older than the database, or a file was deleted. Deploy from the branch that has it.";
    /// An applied migration is recorded as failed.
    Failed => "failed",
        "`_sqlx_migrations` records a migration as unsuccessful (dirty). Repair the database by hand, then mark or re-run the migration.";
    /// A migration older than the newest applied one is not applied.
    OutOfOrder => "out_of_order",
        "A migration older than the newest applied one is not applied: it was merged after a newer one was deployed. Renumber it after the newest applied version.";
    /// The live schema differs from the migrations' schema.
    SchemaDrift => "schema_drift",
        "The live schema differs from the schema built by replaying the applied migrations on a scratch database: someone changed the database by hand, or an applied migration file differs from what ran. Compared in every non-system schema: tables, columns (type, nullability, default, generated, collation), keys with their actions, checks, full index definitions, views; on PostgreSQL also row-level security and policies, grants and default privileges, owners, functions, triggers and their enabled state, rules, types, sequences, extensions, collations, comments, materialized views, relation options, partitions, publications, foreign servers and the database's security settings; on SQLite the stored SQL of tables, indexes and triggers; on MySQL/MariaDB each table, view, routine and trigger as SHOW CREATE writes it, events and grants. Literals are compared byte for byte. The finding names each differing object. `--scratch-url` puts the scratch database on another server of the same engine and major version when the live role cannot create databases.";
    /// A reversible migration does not round-trip.
    NotReversible => "not_reversible",
        "Applying a migration's `.down.sql` after its `.up.sql` does not restore the schema (or re-applying up does not give the same schema), or the down or the re-up fails to apply. The finding names the version and file and shows the schema diff.";
    /// The database could not be reached.
    Unreachable => "unreachable",
        "gonogo could not connect to the database (refused, timed out, wrong password, missing SQLite file). Check the URL and that the server runs; the password is never printed.";
    /// A migration file is not usable.
    BadMigrationFile => "bad_migration_file",
        "A migration file name sqlx rejects (the version before `_` must be an integer), two files with one version, or an unreadable migrations folder. A lone `.up.sql` is accepted, as sqlx accepts it.";
    /// A database URL is not usable.
    BadUrl => "bad_url",
        "The database URL does not parse, or its scheme is not `sqlite:`, `postgres:`/`postgresql:` or `mysql:`/`mariadb:`.";
    /// A flag forbidden in the environment's class is enabled.
    ForbiddenFlag => "forbidden_flag",
        "A flag the matrix forbids in this environment's class is enabled. A `bool` flag counts as enabled unless its value is `false`, `0`, `no` or `off` (any case, trimmed) or it is absent: remove the line from the env file.";
    /// A value forbidden in the environment.
    ForbiddenValue => "forbidden_value",
        "A flag has a value the matrix forbids in this environment (for example `LOG_LEVEL=debug` in prod). Set another value.";
    /// A required flag is absent or empty.
    MissingRequired => "missing_required",
        "A flag the matrix requires in this environment's class is absent or empty. Add it to the env file.";
    /// A value does not parse as the flag's type.
    InvalidValue => "invalid_value",
        "A value does not parse as the flag's type (`int`, `enum` values, `url`). Fix the value.";
    /// A key the matrix does not know.
    UnknownFlag => "unknown_flag",
        "A key in the env file is not in the matrix, and `[policy] unknown_flags = \"deny\"` (the default). Declare it in the matrix or remove it.";
    /// An environment name the matrix does not define.
    UnknownEnvironment => "unknown_environment",
        "`--env NAME=FILE` names an environment the matrix does not define under [environments]. This is an error (exit 2).";
    /// A key appears twice in one env file.
    DuplicateKey => "duplicate_key",
        "A key appears twice in one env file; which one wins depends on the loader. Keep one. This is an error (exit 2).";
    /// A line that is not dotenv.
    ParseError => "parse_error",
        "A line of an env file is refused by one of the selected readers (`[policy] readers`): not `KEY=VALUE`, an unknown escape, an unterminated quote, or invalid UTF-8. The message names the reader and the line. dotenvy, for one, refuses an unquoted value with a blank in it: quote the value, or drop `dotenvy` from the readers if no Rust service reads the file. This is an error (exit 2).";
    /// The readers read a line differently.
    AmbiguousLine => "ambiguous_line",
        "The selected readers (`[policy] readers`: dotenvy, python-dotenv, node-dotenv, compose, …) read this key differently: they split the file into lines differently (a bare CR, a quote inside an unquoted value), unquote or unescape differently (`fal\"\"se`, `\\ `), cut comments differently (`x#y`), substitute differently (`${VAR}`), or the value depends on the reading process's environment or a command. A service would see another value than the check did. The finding names the line and the readers that disagree, never the values. Write the value so every reader reads it the same: plain `KEY=value`, or `KEY='value'` without escapes or `$`.";
    /// A proof artifact's input changed.
    DigestMismatch => "digest_mismatch",
        "An input listed in the proof artifact (the model, the migrations folder, an env file, the matrix, the corpus) no longer has the sha256 the gate recorded: the release is not the one that was checked. Run `gonogo gate` again.";
    /// A counterexample replayed against another target.
    TargetMismatch => "target_mismatch",
        "A saved counterexample records the target it failed on (`target_digest`, `target`), and the config replays it against another one (or it records none). Passing against another target proves nothing about the one that failed. Replay it with the config it came from (`--config`), or pass `--allow-target-change` if the target changed on purpose. This is an error (exit 2).";
    /// A saved failure that does not reproduce on a fresh target.
    Flaky => "flaky",
        "A failure that did not reproduce on a fresh target, even after every request asked before it (`\"flaky\": true` in its corpus file), did not reproduce again on replay. A flaky failure is never a pass: the target's answers depend on something gonogo does not control (time, randomness, another client). Find the cause; delete the file once it is fixed. This is an error (exit 2).";
    /// The proof was made at another commit.
    CommitMismatch => "commit_mismatch",
        "The proof artifact's `git_commit` is not the commit of the tree being verified (or one of them has none): the proof was made for another release. Run `gonogo gate` at this commit, or pass `--any-commit` when the tree is known to be the same.";
    /// The artifact's verdict is not GO, or does not follow from its checks.
    VerdictNoGo => "verdict_no_go",
        "The proof artifact records NO-GO, a required check that did not pass, or a verdict that does not follow from its checks (an edited artifact).";
    /// A required check is absent from the artifact.
    MissingCheck => "missing_check",
        "A check that `[gate] require` lists is absent from the proof artifact (its section was missing from gonogo.toml, or the artifact was edited).";
    /// The signature does not verify.
    BadSignature => "bad_signature",
        "The DSSE envelope's Ed25519 signature does not verify with the given public key: the artifact was edited after signing, signed with another key, or not signed at all.";
    /// No data for a threshold in the window.
    NoData => "no_data",
        "The watch window holds no sample of a threshold's metric: nothing shows the release is healthy, so it is NO-GO.";
    /// Too few samples for a threshold.
    TooFewSamples => "too_few_samples",
        "The watch window holds fewer samples of a metric than `min_samples`: too little data to call the release healthy.";
    /// A metric crossed its threshold more often than tolerated.
    ThresholdBreached => "threshold_breached",
        "Samples crossed their threshold more times than `failure_limit` tolerates. The watch notes list every breach with its time and value.";
    /// The target could not be asked.
    TargetFailed => "target_failed",
        "The target exited, crashed, hung past `timeout_ms`, answered something that is not a decision, or answered the wrong id. gonogo treats this as an error (exit 2), never as GO.";
}

impl Reason {
    /// The exit code a finding with this reason leads to: 1 (NO-GO) or 2 (error).
    pub fn exit_code(self) -> i32 {
        match self {
            Reason::TargetFailed
            | Reason::Unreachable
            | Reason::BadMigrationFile
            | Reason::BadUrl
            | Reason::UnknownEnvironment
            | Reason::DuplicateKey
            | Reason::ParseError
            | Reason::TargetMismatch
            | Reason::Flaky => 2,
            _ => 1,
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}
