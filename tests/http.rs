//! `target.kind = "http"` against a real HTTP server on 127.0.0.1, started by
//! the test itself.

mod common;
use common::*;
use gonogo::model::{Config, Decision, Request};
use gonogo::targets::{Mutant, Target};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// How the server answers.
#[derive(Clone, Copy)]
enum Mode {
    /// The declared policy; denials carry their status in the HTTP status only.
    Policy,
    /// A planted bug.
    Mutant(Mutant),
    /// HTTP 503 with an HTML body after this many requests.
    Unavailable(usize),
    /// HTTP 500 whose body looks like a decision.
    ServerErrorDecision,
}

/// Starts a server with 4 workers; returns its URL and a request counter.
fn serve(mode: Mode) -> (String, Arc<AtomicUsize>) {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
    let port = server.server_addr().to_ip().unwrap().port();
    let model = Config::load(&example_config()).unwrap().model;
    let target: Arc<Mutex<Box<dyn Target + Send>>> = Arc::new(Mutex::new(match mode {
        Mode::Mutant(m) => Box::new(m.target(model.clone())),
        _ => Box::new(gonogo::targets::PolicyTarget::new(model.clone())),
    }));
    let count = Arc::new(AtomicUsize::new(0));
    for _ in 0..4 {
        let (server, target, count) = (server.clone(), target.clone(), count.clone());
        std::thread::spawn(move || {
            while let Ok(mut req) = server.recv() {
                let n = count.fetch_add(1, Ordering::SeqCst);
                let mut body = String::new();
                let _ = req.as_reader().read_to_string(&mut body);
                let json =
                    tiny_http::Header::from_bytes("content-type", "application/json").unwrap();
                let response = match mode {
                    Mode::ServerErrorDecision => {
                        tiny_http::Response::from_string("{\"allow\":true}").with_status_code(500)
                    }
                    Mode::Unavailable(after) if n >= after => {
                        tiny_http::Response::from_string("<html>503 Service Unavailable</html>")
                            .with_status_code(503)
                    }
                    _ => {
                        let request: Request = serde_json::from_str(&body).unwrap();
                        let d: Decision = target.lock().unwrap().decide(&request).unwrap();
                        let status = d.status.unwrap_or(200);
                        let body = if d.allow {
                            "{\"allow\":true}".to_string()
                        } else {
                            // No `status` in the body: gonogo takes the HTTP status.
                            format!("{{\"allow\":false,\"reason\":\"{}\"}}", d.reason.unwrap())
                        };
                        tiny_http::Response::from_string(body)
                            .with_status_code(status)
                            .with_header(json)
                    }
                };
                let _ = req.respond(response);
            }
        });
    }
    (format!("http://127.0.0.1:{port}/authorize"), count)
}

fn http_config(url: &str) -> String {
    example_with_target(&format!(
        "[target]\nkind = \"http\"\nurl = \"{url}\"\ntimeout_ms = 5000\nmax_in_flight = 4"
    ))
}

/// The requests of one case, summed over the properties (every case of a
/// property has the same length).
fn requests_per_case() -> usize {
    use proptest::strategy::{Strategy, ValueTree};
    let config = Config::load("examples/saas/gonogo.toml".as_ref()).unwrap();
    let domain = std::sync::Arc::new(gonogo::generate::Domain::new(config.model));
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    gonogo::Property::ALL
        .iter()
        .map(|&p| {
            let strategy = gonogo::invariants::cases(domain.clone(), p);
            strategy.new_tree(&mut runner).unwrap().current().len()
        })
        .sum()
}

#[test]
fn declared_policy_over_http_is_go_at_10000_cases() {
    let (url, count) = serve(Mode::Policy);
    let dir = project(&http_config(&url));
    let out = gonogo(dir.path(), &["check", "--cases", "10000"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    // 10,000 cases of each property, each case as many requests as its
    // strategy draws (2 + 1 + 5 + 1 + 2 for the five properties).
    assert_eq!(count.load(Ordering::SeqCst), 10_000 * requests_per_case());
}

#[test]
fn planted_bugs_over_http_are_caught() {
    for (mutant, property) in [
        (Mutant::TenantCaseInsensitive, "isolation"),
        (Mutant::IgnoresImplication, "monotonicity"),
        (Mutant::HardcodedTenant, "symmetry"),
    ] {
        let (url, _) = serve(Mode::Mutant(mutant));
        let dir = project(&http_config(&url));
        let out = gonogo(
            dir.path(),
            &["check", "--property", property, "--format", "json"],
        );
        assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
        let p = &json(&out)["properties"][0];
        assert_eq!(p["name"], property);
        // The status came from the HTTP status line.
        let decisions = p["counterexample"]["decisions"].as_array().unwrap();
        for d in decisions.iter().filter(|d| d["allow"] == false) {
            assert!(d["status"].as_u64().is_some(), "{d}");
        }
    }
}

#[test]
fn http_5xx_without_a_decision_is_an_error() {
    let (url, _) = serve(Mode::Unavailable(40));
    let dir = project(&http_config(&url));
    let out = gonogo(
        dir.path(),
        &["check", "--property", "conformance", "--format", "json"],
    );
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    let p = &json(&out)["properties"][0];
    assert_eq!(p["reason"], "target_failed");
    let m = p["message"].as_str().unwrap();
    assert!(
        m.contains("answered HTTP 503; a server error is not a decision"),
        "{m}"
    );
    assert!(m.contains("last request: {"), "{m}");
}

#[test]
fn a_refused_connection_is_an_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = project(&http_config(&format!("http://127.0.0.1:{port}/authorize")));
    let out = gonogo(
        dir.path(),
        &["check", "--property", "isolation", "--format", "json"],
    );
    assert_eq!(code(&out), 2);
    let m = json(&out)["properties"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        m.contains(&format!("cannot reach `http://127.0.0.1:{port}/authorize`")),
        "{m}"
    );
}

#[test]
fn url_credentials_never_appear_in_output() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = project(&http_config(&format!(
        "http://svc:hunter2@127.0.0.1:{port}/authorize"
    )));
    let out = gonogo(dir.path(), &["check", "--property", "isolation"]);
    assert_eq!(code(&out), 2);
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!all.contains("hunter2"), "{all}");
}

#[test]
fn http_5xx_is_an_error_even_with_a_decision_body() {
    let (url, _) = serve(Mode::ServerErrorDecision);
    let dir = project(&http_config(&url));
    let out = gonogo(
        dir.path(),
        &["check", "--property", "isolation", "--format", "json"],
    );
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert_eq!(json(&out)["properties"][0]["reason"], "target_failed");
}
