//! Fuzz target `env_compose`: the compose reader model and the matrix
//! evaluator (no panic, lines in the file, no hidden value shown); see
//! `gonogo::fuzzing::env_reader`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gonogo::fuzzing::env_reader(
    gonogo::env::Reader::Compose,
    data
));
