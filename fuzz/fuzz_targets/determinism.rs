//! Fuzz target `determinism`: see `gonogo::fuzzing::property`. Structured
//! input (a small model and a case), read as `cargo test` reads the seeds.
#![no_main]

libfuzzer_sys::fuzz_target!(|input: gonogo::fuzzing::structured::CaseInput| {
    gonogo::fuzzing::property_case(&input, gonogo::Property::Determinism)
});
