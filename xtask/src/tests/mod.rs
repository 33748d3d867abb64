//! Tests that run a tiny document through the whole pipeline, grouped by the stage whose
//! rule they check.

mod documents;
mod examples;
mod normalize;
mod swagger2;
