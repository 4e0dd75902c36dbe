//! DSSE envelopes and keys as the ecosystem reads them (issue 14): OpenSSL 3
//! and pyca/cryptography read gonogo's keys; securesystemslib (in-toto's
//! library) verifies gonogo's envelopes and gonogo verifies its envelopes,
//! in standard or URL-safe base64, with or without `keyid`; keys made by
//! `openssl genpkey` sign gates.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

/// Whether the interop tools are here; under `CI=true` they must be.
fn tools() -> bool {
    let ok = Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
        && Command::new("python3")
            .args(["-c", "import securesystemslib, cryptography"])
            .output()
            .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must run the DSSE interop tests (.ci/run installs securesystemslib and openssl)"
        );
        eprintln!("skipped: openssl or securesystemslib is not installed");
    }
    ok
}

fn sslib(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/dsse/sslib.py"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn ok(out: &std::process::Output) -> bool {
    out.status.success()
}

#[test]
fn keys_and_envelopes_interoperate_both_ways() {
    if !tools() {
        return;
    }
    let dir = project(&example_text());
    let d = dir.path();
    // gonogo's keys, read by OpenSSL and pyca/cryptography.
    assert_eq!(
        code(&gonogo(
            d,
            &["keygen", "--private", "g.pem", "--public", "g.pub"]
        )),
        0
    );
    let openssl = |args: &[&str]| {
        Command::new("openssl")
            .args(args)
            .current_dir(d)
            .output()
            .unwrap()
    };
    assert!(
        ok(&openssl(&["pkey", "-in", "g.pem", "-noout"])),
        "OpenSSL refuses gonogo's private key"
    );
    assert!(ok(&openssl(&["pkey", "-pubin", "-in", "g.pub", "-noout"])));
    // gonogo signs; securesystemslib verifies.
    assert_eq!(
        code(&gonogo(
            d,
            &["gate", "--sign", "g.pem", "--out", "signed.json"]
        )),
        0
    );
    let out = sslib(&["verify", "g.pub", "signed.json"], d);
    assert!(ok(&out), "{}", String::from_utf8_lossy(&out.stderr));
    // OpenSSL's key signs a gate; gonogo and securesystemslib verify it.
    assert!(ok(&openssl(&[
        "genpkey",
        "-algorithm",
        "ed25519",
        "-out",
        "o.pem"
    ])));
    assert!(ok(&openssl(&[
        "pkey", "-in", "o.pem", "-pubout", "-out", "o.pub"
    ])));
    assert_eq!(
        code(&gonogo(
            d,
            &["gate", "--sign", "o.pem", "--out", "o-signed.json"]
        )),
        0
    );
    assert_eq!(
        code(&gonogo(d, &["verify", "o-signed.json", "--key", "o.pub"])),
        0
    );
    assert!(ok(&sslib(&["verify", "o.pub", "o-signed.json"], d)));
    // securesystemslib signs gonogo's statement (standard and URL-safe
    // base64, with and without keyid); gonogo verifies, and an edit fails.
    assert_eq!(code(&gonogo(d, &["gate", "--out", "plain.json"])), 0);
    for flags in [
        &[][..],
        &["--urlsafe"],
        &["--no-keyid"],
        &["--urlsafe", "--no-keyid"],
    ] {
        let mut args = vec!["sign", "o.pem", "plain.json", "sslib.json"];
        args.extend_from_slice(flags);
        assert!(ok(&sslib(&args, d)), "{flags:?}");
        let out = gonogo(
            d,
            &["verify", "sslib.json", "--key", "o.pub", "--format", "json"],
        );
        assert_eq!(code(&out), 0, "{flags:?}: {}", stdout(&out));
        let mut env: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(d.join("sslib.json")).unwrap()).unwrap();
        env["payloadType"] = "application/json".into();
        std::fs::write(d.join("sslib.json"), env.to_string()).unwrap();
        let out = gonogo(
            d,
            &["verify", "sslib.json", "--key", "o.pub", "--format", "json"],
        );
        assert_eq!(code(&out), 1, "{flags:?}: {}", stdout(&out));
        assert_eq!(json(&out)["findings"][0]["reason"], "bad_signature");
    }
    // A key of another pair does not verify.
    assert_eq!(
        code(&gonogo(d, &["verify", "signed.json", "--key", "o.pub"])),
        1
    );
}
