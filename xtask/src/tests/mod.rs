//! Tests that run a tiny document through the whole pipeline, grouped by the stage whose
//! rule they check.

mod documents;
pub(crate) mod examples;
mod normalize;
mod request_bodies;
mod swagger2;
