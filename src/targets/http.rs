//! `target.kind = "http"`: `POST` of each request's JSON to a URL; the
//! decision is the JSON body, its status the body's or else the HTTP status.
//! Keep-alive connections, at most `max_in_flight` requests at once.

use super::wire::{parse_answer, shown};
use super::{Target, TargetError};
use crate::model::{Decision, Request};
use std::time::Duration;
use ureq::Agent;

/// An HTTP endpoint deciding requests.
pub struct HttpTarget {
    agent: Agent,
    url: String,
    max_in_flight: usize,
}

impl HttpTarget {
    /// A target posting to `url`.
    pub fn new(url: &str, timeout: Duration, max_in_flight: usize) -> HttpTarget {
        let agent = Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .max_idle_connections(max_in_flight.max(1) * 2)
            .max_idle_connections_per_host(max_in_flight.max(1) * 2)
            .user_agent(concat!("gonogo/", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent();
        HttpTarget {
            agent,
            url: url.to_string(),
            max_in_flight: max_in_flight.max(1),
        }
    }
}

/// The URL as messages show it (no userinfo, however spelled).
fn redacted(url: &str) -> String {
    crate::redact::url(url)
}

fn post(agent: &Agent, url: &str, request: &Request) -> Result<Decision, TargetError> {
    let fail = |message: String| TargetError {
        message,
        last_request: Some(Box::new(request.clone())),
    };
    let body = serde_json::to_string(request).expect("a request serializes");
    let mut response = agent
        .post(url)
        .header("content-type", "application/json")
        .send(body)
        .map_err(|e| fail(format!("cannot reach `{}`: {e}", redacted(url))))?;
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().map_err(|e| {
        fail(format!(
            "cannot read the answer of `{}`: {e}",
            redacted(url)
        ))
    })?;
    if status >= 500 {
        // A server error is never a decision, whatever its body says.
        return Err(fail(format!(
            "`{}` answered HTTP {status}; a server error is not a decision: `{}`",
            redacted(url),
            shown(&text)
        )));
    }
    match parse_answer(&text) {
        Ok(answer) => {
            let mut decision = answer.decision;
            if decision.status.is_none() && !decision.allow {
                decision.status = Some(status);
            }
            Ok(decision)
        }
        Err(why) => Err(fail(format!(
            "`{}` answered HTTP {status} with a body that is not a decision ({why}): `{}`",
            redacted(url),
            shown(&text)
        ))),
    }
}

/// No hooks: a running service cannot be forked or started afresh, and
/// requests go out concurrently inside `decide_all`.
impl super::TargetExt for HttpTarget {}

impl Target for HttpTarget {
    fn decide(&mut self, request: &Request) -> Result<Decision, TargetError> {
        post(&self.agent, &self.url, request)
    }

    fn decide_all(&mut self, requests: &[Request]) -> Result<Vec<Decision>, TargetError> {
        if requests.len() <= 1 || self.max_in_flight == 1 {
            return requests.iter().map(|r| self.decide(r)).collect();
        }
        let per = requests.len().div_ceil(self.max_in_flight);
        let (agent, url) = (&self.agent, self.url.as_str());
        let parts: Vec<Result<Vec<Decision>, TargetError>> = std::thread::scope(|s| {
            let handles: Vec<_> = requests
                .chunks(per)
                .map(|chunk| s.spawn(move || chunk.iter().map(|r| post(agent, url, r)).collect()))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(TargetError::new("an HTTP worker panicked")))
                })
                .collect()
        });
        let mut out = Vec::with_capacity(requests.len());
        for part in parts {
            out.extend(part?);
        }
        Ok(out)
    }
}
