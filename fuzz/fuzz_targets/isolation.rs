//! Fuzz target `isolation`: see `gonogo::fuzzing`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gonogo::fuzzing::property(
    data,
    gonogo::Property::Isolation
));
