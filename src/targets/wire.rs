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

/// The longest answer line a target may send (SPEC §4: 1 MiB).
pub const MAX_LINE: usize = 1 << 20;

/// JSON where no object holds a key twice: readers disagree on which
/// duplicate wins, so a duplicated key is not an answer.
pub(crate) fn strict_json(text: &str) -> Result<Value, String> {
    use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
    struct Strict(Value);
    impl<'de> de::Deserialize<'de> for Strict {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Strict, D::Error> {
            d.deserialize_any(StrictVisitor)
        }
    }
    struct StrictVisitor;
    impl<'de> Visitor<'de> for StrictVisitor {
        type Value = Strict;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_bool<E>(self, v: bool) -> Result<Strict, E> {
            Ok(Strict(Value::Bool(v)))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Strict, E> {
            Ok(Strict(v.into()))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Strict, E> {
            Ok(Strict(v.into()))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Strict, E> {
            Ok(Strict(
                serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number),
            ))
        }
        fn visit_str<E>(self, v: &str) -> Result<Strict, E> {
            Ok(Strict(Value::String(v.to_string())))
        }
        fn visit_string<E>(self, v: String) -> Result<Strict, E> {
            Ok(Strict(Value::String(v)))
        }
        fn visit_unit<E>(self) -> Result<Strict, E> {
            Ok(Strict(Value::Null))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
            let mut out = Vec::new();
            while let Some(Strict(v)) = seq.next_element()? {
                out.push(v);
            }
            Ok(Strict(Value::Array(out)))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
            let mut out = serde_json::Map::new();
            while let Some(key) = map.next_key::<String>()? {
                let Strict(v) = map.next_value()?;
                if out.insert(key.clone(), v).is_some() {
                    return Err(de::Error::custom(format_args!(
                        "the key `{}` appears twice",
                        crate::redact::text(&key)
                    )));
                }
            }
            Ok(Strict(Value::Object(out)))
        }
    }
    serde_json::from_str::<Strict>(text)
        .map(|s| s.0)
        .map_err(|e| e.to_string())
}

/// Parses a decision: a JSON object with a boolean `allow`, an optional string
/// `reason` and an optional integer `status` (100–599), and an optional
/// integer `id`; or a skip, `{"id": N, "skip": "why"}` and nothing else; no
/// key twice, at most [`MAX_LINE`] bytes. Anything else is not a decision.
pub fn parse_answer(text: &str) -> Result<Answer, String> {
    if text.len() > MAX_LINE {
        return Err(format!("longer than {MAX_LINE} bytes"));
    }
    let value: Value = strict_json(text.trim()).map_err(|e| format!("not a decision ({e})"))?;
    let Value::Object(map) = value else {
        return Err("not a JSON object".into());
    };
    let id = match map.get("id") {
        None => None,
        Some(v) => Some(v.as_u64().ok_or("`id` is not a non-negative integer")?),
    };
    // `{"id": N, "skip": "why"}`: the target cannot represent the request.
    // Alone: a skip beside a decision's fields is read two ways.
    if let Some(skip) = map.get("skip") {
        let why = match skip {
            Value::String(w) if !w.trim().is_empty() => w.clone(),
            _ => return Err("`skip` is not a non-empty string saying why".into()),
        };
        if map.keys().any(|k| k != "skip" && k != "id") {
            return Err("a `skip` answer holds only `id` and `skip`, no decision".into());
        }
        return Ok(Answer {
            id,
            decision: Decision::skipped(&why),
        });
    }
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
    Ok(Answer {
        id,
        decision: Decision {
            allow,
            reason,
            status,
            skip: None,
        },
    })
}

/// A line shown in a message: trimmed, at most 200 characters, control
/// characters escaped (target text never reaches a terminal raw).
pub fn shown(line: &str) -> String {
    let line = line.trim_end();
    let mut out: String = line.chars().take(200).collect();
    let cut = out.len() < line.len();
    out = crate::redact::text(&out);
    if cut {
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
        // Issue 14: last-key-wins would read this as a deny.
        let dup = parse_answer(r#"{"allow":true,"allow":false}"#).unwrap_err();
        assert!(dup.contains("twice"), "{dup}");
        assert!(parse_answer(r#"{"allow":false,"x":{"a":1,"a":2}}"#).is_err());
        assert!(
            parse_answer(&format!(
                "{{\"allow\":true,\"p\":\"{}\"}}",
                "x".repeat(MAX_LINE)
            ))
            .is_err()
        );
    }
}
