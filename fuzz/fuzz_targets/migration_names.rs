//! Fuzz target `migration_names`: see `gonogo::fuzzing`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gonogo::fuzzing::migration_names(data));
