//! Fuzz target `dotenv_matrix`: see `gonogo::fuzzing`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gonogo::fuzzing::dotenv_matrix(data));
