//! Command line (placeholder, filled below).
