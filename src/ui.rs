//! Terminal UI (placeholder).
