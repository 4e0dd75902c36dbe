//! The declared policy as a target.

use super::{Target, TargetError, TargetExt};
use crate::model::{Decision, Model, Request};

/// Decides every request the way the model says.
#[derive(Debug, Clone)]
pub struct PolicyTarget {
    model: Model,
}

impl PolicyTarget {
    /// The target of a model.
    pub fn new(model: Model) -> PolicyTarget {
        PolicyTarget { model }
    }
}

impl Target for PolicyTarget {
    fn decide(&mut self, request: &Request) -> Result<Decision, TargetError> {
        Ok(self.model.decide(request))
    }
}

impl TargetExt for PolicyTarget {
    fn fork(&self) -> Option<Box<dyn TargetExt + Send>> {
        Some(Box::new(self.clone()))
    }
}
