"""Benchmarks for 居民之家: `make bench` prints figures; nothing here asserts on time."""
