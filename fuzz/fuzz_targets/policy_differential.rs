//! Fuzz target `policy_differential`: see `gonogo::fuzzing`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gonogo::fuzzing::policy_differential(data));
