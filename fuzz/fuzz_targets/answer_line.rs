//! Fuzz target `answer_line`: a target's answer line; see `gonogo::fuzzing`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gonogo::fuzzing::answer_line(data));
