//! Fuzz target `url_redactor`: the URL redactor; see `gonogo::fuzzing`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gonogo::fuzzing::url_redactor(data));
