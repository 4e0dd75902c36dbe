//! The wire format of external targets (SPEC §4): a request line with an
//! added `"id"`, and a decision parsed strictly.

use crate::model::{Decision, Request};
use serde_json::Value;

/// One JSON Lines request: the request with `"id"` first.
pub fn request_line(id: u64, request: &Request) -> String {
    let body = serde_json::to_string(request).expect("a request serializes");
    // `body` is a JSON object: splice the id in after its opening brace.
    format!("{{\"id\":{id},{}\n", &body[1..])
}

/// A decision read from a target, with the id it carried (if any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub id: Option<u64>,
    pub decision: Decision,
}

/// Parses a decision: a JSON object with a boolean `allow`, an optional string
/// `reason` and an optional integer `status` (100–599), and an optional
/// integer `id`. Anything else is not a decision.
pub fn parse_answer(text: &str) -> Result<Answer, String> {
    let value: Value = serde_json::from_str(text.trim()).map_err(|e| format!("not JSON ({e})"))?;
    let Value::Object(map) = value else {
        return Err("not a JSON object".into());
    };
    let allow = match map.get("allow") {
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err("`allow` is not a boolean".into()),
        None => return Err("no `allow` field".into()),
    };
    let reason = match map.get("reason") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err("`reason` is not a string".into()),
    };
    let status = match map.get("status") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_u64() {
            Some(s) if (100..=599).contains(&s) => Some(s as u16),
            _ => return Err("`status` is not an HTTP status (100-599)".into()),
        },
    };
    let id = match map.get("id") {
        None => None,
        Some(v) => Some(v.as_u64().ok_or("`id` is not a non-negative integer")?),
    };
    Ok(Answer {
        id,
        decision: Decision {
            allow,
            reason,
            status,
        },
    })
}

/// A line shown in a message: trimmed, at most 200 characters.
pub fn shown(line: &str) -> String {
    let line = line.trim_end();
    let mut out: String = line.chars().take(200).collect();
    if out.len() < line.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_decisions_strictly() {
        let a = parse_answer(r#"{"id": 3, "allow": false, "reason": "x", "status": 403}"#).unwrap();
        assert_eq!(a.id, Some(3));
        assert_eq!(a.decision, Decision::deny("x", 403));
        assert!(parse_answer(r#"{"allow": "yes"}"#).is_err());
        assert!(parse_answer(r#"{"allow": true, "status": 42}"#).is_err());
        assert!(parse_answer("ok").is_err());
        assert!(parse_answer("[true]").is_err());
        assert!(parse_answer(r#"{"id": -1, "allow": true}"#).is_err());
    }
}
