//! A target's answers for every point of a block, as codes, asked in
//! batches (pipelined when the target pipelines).

use crate::generate::space::{Block, Codes, Space, request};
use crate::model::{Decision, Model, Request};
use crate::targets::{TargetError, TargetExt};

/// Requests asked together.
const CHUNK: usize = 4096;

/// The answers of a target for every point of a block (and for every
/// point's variant with `variants`), asked in chunks, pipelined when the
/// target pipelines.
pub fn ask_block(
    target: &mut dyn TargetExt,
    space: &Space,
    model: &Model,
    block: Block,
    variants: bool,
    codes: &mut Codes,
) -> Result<(Vec<u32>, Option<Vec<u32>>), TargetError> {
    let len = space.block_len();
    let chunk_requests = |start: usize| -> Vec<Request> {
        let end = (start + CHUNK).min(len);
        let mut out: Vec<Request> = (start..end)
            .map(|p| request(space, model, block, p, false))
            .collect();
        if variants {
            out.extend((start..end).map(|p| request(space, model, block, p, true)));
        }
        out
    };
    let mut answers = Vec::with_capacity(len);
    let mut variant_answers = Vec::with_capacity(if variants { len } else { 0 });
    // A skip is no answer an exhaustive run can count: every request of
    // the domain must be decided, or the run is an error (never a GO).
    let mut take = |decisions: Vec<Decision>, codes: &mut Codes, asked: &[Request]| {
        let half = if variants {
            decisions.len() / 2
        } else {
            decisions.len()
        };
        for (i, d) in decisions.iter().enumerate() {
            if let Some(why) = &d.skip {
                return Err(TargetError {
                    message: format!(
                        "the target skipped a request ({}): an exhaustive run needs every request of the domain decided; check at random instead, where skips are counted",
                        crate::redact::text(why)
                    ),
                    last_request: asked.get(i).cloned().map(Box::new),
                });
            }
            let c = codes.code(d);
            if i < half {
                answers.push(c);
            } else {
                variant_answers.push(c);
            }
        }
        Ok(())
    };
    let starts: Vec<usize> = (0..len).step_by(CHUNK).collect();
    let Some((&first, rest)) = starts.split_first() else {
        return Ok((Vec::new(), variants.then(Vec::new)));
    };
    let mut current = chunk_requests(first);
    if crate::targets::ask_send(target, &current)? {
        for &start in rest {
            let next = chunk_requests(start);
            crate::targets::ask_send(target, &next)?;
            take(
                crate::targets::ask_receive(target, &current)?,
                codes,
                &current,
            )?;
            current = next;
        }
        take(
            crate::targets::ask_receive(target, &current)?,
            codes,
            &current,
        )?;
    } else {
        take(crate::targets::ask(target, &current)?, codes, &current)?;
        for &start in rest {
            let chunk = chunk_requests(start);
            take(crate::targets::ask(target, &chunk)?, codes, &chunk)?;
        }
    }
    Ok((answers, variants.then_some(variant_answers)))
}
