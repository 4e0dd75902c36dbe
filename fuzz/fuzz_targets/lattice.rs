//! Fuzz target `lattice`: see `gonogo::fuzzing`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gonogo::fuzzing::lattice(data));
