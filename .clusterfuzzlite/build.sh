#!/bin/bash -eu
# Builds every fuzz target and its seed corpus for ClusterFuzzLite.
cd "$SRC/gonogo"
cargo fuzz build -O
for target in $(sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | grep -v '^gonogo-fuzz$'); do
  cp "fuzz/target/x86_64-unknown-linux-gnu/release/$target" "$OUT/"
  if [ -d "corpus/fuzz/$target" ]; then
    (cd "corpus/fuzz/$target" && zip -q "$OUT/${target}_seed_corpus.zip" ./*)
  fi
done
